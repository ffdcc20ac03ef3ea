// A fake Binance + Coinbase candle server on 127.0.0.1 for the downloader's tests, serving a given series with
// the real endpoints' paging rules, and misbehaving on request: throttling, cut bodies, dropped connections, 5xx.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PriceSeries } from '@overfit/core';

export type Fault =
  | { status: number; retryAfter?: string }
  /** Send the headers and half the body, then close the connection. */
  | { truncate: true }
  /** Close the connection without answering. */
  | { drop: true }
  /** Answer with only the first `rows` bars of the page. */
  | { rows: number }
  /** Answer with the page's rows (JSON arrays as the exchange sends them) rewritten. */
  | { rewrite: (rows: unknown[][]) => unknown[][] };

export interface FakeExchange {
  url: string;
  /** Every request received, in order (including the misbehaving ones). */
  requests: URL[];
  /** The fault for the n-th request (1-based), if any. */
  fault: (n: number) => Fault | undefined;
  close(): Promise<void>;
}

export async function startFakeExchange(series: PriceSeries): Promise<FakeExchange> {
  const { time, open, high, low, close, volume } = series;
  const between = (from: number, to: number, limit: number) => {
    const rows: number[] = [];
    for (let i = 0; i < time.length && rows.length < limit; i++) if (time[i] >= from && time[i] <= to) rows.push(i);
    return rows;
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const exchange: FakeExchange = { url: '', requests: [], fault: () => undefined, close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    exchange.requests.push(url);
    const fault = exchange.fault(exchange.requests.length);
    if (fault && 'drop' in fault) return req.socket.destroy();
    if (fault && 'status' in fault) {
      res.writeHead(fault.status, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
      return res.end('{"msg":"slow down"}');
    }
    const q = (name: string) => url.searchParams.get(name) ?? '';
    let body: unknown;
    if (url.pathname === '/api/v3/klines') {
      if (q('symbol') !== 'BTCUSDT') return json(res, 400, { code: -1121, msg: 'Invalid symbol.' });
      const limit = Math.min(1000, Number(q('limit') || 500));
      body = between(Number(q('startTime')), Number(q('endTime') || Infinity), limit).map((i) => [
        time[i],
        String(open[i]),
        String(high[i]),
        String(low[i]),
        String(close[i]),
        String(volume[i]),
        time[i] + 3_599_999,
        '0',
        1,
        '0',
        '0',
        '0',
      ]);
    } else if (url.pathname === '/products/BTC-USD/candles') {
      const from = Date.parse(q('start'));
      const to = Date.parse(q('end'));
      if ((to - from) / (Number(q('granularity')) * 1000) >= 300)
        return json(res, 400, { message: 'granularity too small for the requested time range' });
      body = between(from, to, 300)
        .reverse()
        .map((i) => [time[i] / 1000, low[i], high[i], open[i], close[i], volume[i]]);
    } else if (url.pathname.startsWith('/products/')) {
      return json(res, 404, { message: 'NotFound' });
    } else return json(res, 404, {});
    if (fault && 'rows' in fault) body = (body as unknown[]).slice(0, fault.rows);
    if (fault && 'rewrite' in fault) body = fault.rewrite(body as unknown[][]);
    const text = JSON.stringify(body);
    if (fault && 'truncate' in fault) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, text.length >> 1));
      return setTimeout(() => res.socket?.destroy(), 5);
    }
    json(res, 200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  exchange.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  exchange.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return exchange;
}
