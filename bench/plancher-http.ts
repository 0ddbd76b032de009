// The floor of `npm run bench:api`: an Express app with one route that answers a fixed JSON body, in a
// process of its own as the API is. What is left above it is ours. Started by bench/api.ts with the port
// and the body's size.
import express from 'express';

const [port, taille] = process.argv.slice(2).map(Number);
const corps = JSON.stringify({ texte: 'x'.repeat(Math.max(0, taille - 12)) });
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/candidatures/:id', (_req, res) => void res.type('json').send(corps));
const server = app.listen(port, '127.0.0.1', () => console.log('prêt'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
