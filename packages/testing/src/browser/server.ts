import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file the server answers with. */
export interface StaticFile {
  type: string;
  body: string;
}

/** A running server and how to stop it. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>`: a secure context, unlike `about:blank`, so `navigator.gpu` exists. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `files` (keyed by path, e.g. `/`) on 127.0.0.1 at an ephemeral port; anything else is 404. */
export async function serveFiles(files: Record<string, StaticFile>): Promise<StaticServer> {
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://127.0.0.1').pathname];
    response.writeHead(file ? 200 : 404, {
      'content-type': file?.type ?? 'text/plain',
      'cache-control': 'no-store',
    });
    response.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
