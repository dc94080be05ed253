// The reference every benchmark compares against: a bare Fastify hello-world in HELLO_PROCESSES processes sharing
// one port (node:cluster), as Pathway's web processes do. Prints the port once every process listens.
import cluster from 'node:cluster';
import Fastify from 'fastify';

const processes = Number(process.env.HELLO_PROCESSES ?? 1);

if (cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (listening === processes) process.stdout.write(`listening ${address.port}\n`);
  });
  for (let started = 0; started < processes; started += 1) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const hello = Fastify();
  hello.get('/', async () => 'hello world');
  await hello.listen({ port: 0, host: '127.0.0.1' });
}
