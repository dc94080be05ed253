import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { englishPlaces } from '../src/features/directory/generate.ts';
import { buildApp } from '../src/web/app.ts';
const database = await openDatabase({ url: process.env.DATABASE_URL! });
const places = englishPlaces(400);
const app = await buildApp(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(40), LOG_LEVEL: 'warn', API_RATE_LIMIT_PER_MINUTE: '1000000' }), { database });
const urls = ['/services?q=autism', '/services?q=short+breaks&age=7', '/services?q=SALT', '/services?q=speach+therapy', '/services?q=swimming&need=physical_disability', '/services?q=respite+for+teenagers', '/services?q=help+with+sleep', '/services?q=dyslexia&age=9', '/services?age=4&need=autism', `/services?q=play&postcode=${places[3]!.district}&distance=10`, `/services?postcode=${places[42]!.district}&distance=10&age=12`, '/services?q=independent+travel+training&page=2', '/api/oruk/services?search=autism&per_page=20', `/api/oruk/services?postcode=${places[7]!.district}&proximity=8000`, '/services'];
for (let round = 0; round < 2; round++) for (const url of urls) {
  const t = performance.now();
  const res = await app.inject({ url });
  if (round === 1) console.log(res.statusCode, Math.round(performance.now() - t), url);
}
await app.close(); await database.close();
