// Hearing a PostgreSQL notification channel (LISTEN) on a connection of its own, which is reconnected when it drops:
// how state a web process keeps from the database (the directory's search) learns of changes made by any process.
import pg from 'pg';

/** A channel being listened to. */
export interface Listening {
  /** Resolves once every notification committed before the call has been delivered. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  notified(payload: string): void;
  /** The connection dropped and is back: notifications sent while it was down were missed. */
  reconnected(): void;
}

/** How long to wait before connecting again after the connection drops, and between failed attempts. */
const RECONNECT_AFTER_MS = 1_000;

/** Listens on a connection of its own, outside the pool, that lives as long as the listening. */
export async function listenOnServer(url: string, channel: string, handlers: ListenHandlers): Promise<Listening> {
  const listening = new ServerListening(url, channel, handlers);
  await listening.connect();
  return listening;
}

class ServerListening implements Listening {
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  private readonly url: string;
  private readonly channel: string;
  private readonly handlers: ListenHandlers;

  constructor(url: string, channel: string, handlers: ListenHandlers) {
    this.url = url;
    this.channel = channel;
    this.handlers = handlers;
  }

  async connect(): Promise<void> {
    // Named, so an operator can see the listening connections in pg_stat_activity.
    const client = new pg.Client({ connectionString: this.url, application_name: 'pathway-listening' });
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.handlers.notified(message.payload ?? '');
    });
    // A dropped connection shows as an error, an end, or both.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(this.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) await client.end();
    else this.client = client;
  }

  async caughtUp(): Promise<void> {
    // PostgreSQL sends a listening connection the notifications committed before a query ahead of the query's
    // answer. A connection that has dropped answers nothing: its reconnection counts as every change.
    await this.client?.query('select 1').catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end();
  }

  private lost(client: pg.Client) {
    if (client !== this.client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.reconnectLater();
  }

  private reconnectLater() {
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.connect().then(
        () => {
          if (!this.closed) this.handlers.reconnected();
        },
        () => this.reconnectLater(),
      );
    }, RECONNECT_AFTER_MS);
    // Waiting to reconnect does not keep a stopping process alive.
    this.retry.unref();
  }
}
