// Baseline: Node's http module, hello world.
const http = require('http');
const port = +process.argv[2];
http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 11 });
  res.end('hello world');
}).listen(port, '127.0.0.1', () => console.log('node listening on ' + port));
