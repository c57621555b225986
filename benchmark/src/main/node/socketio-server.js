// The socket.io server of `./jbang bench --compare socketio`: the official socket.io 4.8 server (installed by npm from
// common/src/test/node's package-lock.json, found through NODE_PATH) with the same handler as the bench's relaylab
// server: a "chat" event is broadcast to every other socket. Driven like the Java server child, by lines on stdin
// ("sockets", "heap", "probe", "quit"); its first line on stdout is "port N".
'use strict';
const http = require('http');
const readline = require('readline');
const { Server } = require('socket.io');

const httpServer = http.createServer();
const io = new Server(httpServer);
io.on('connection', (socket) => {
  socket.on('chat', (msg) => socket.broadcast.emit('chat', msg));
});
httpServer.listen(0, '127.0.0.1', () => {
  console.log('port ' + httpServer.address().port);
});

function quit() {
  io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'sockets') {
    console.log('sockets ' + io.of('/').sockets.size);
  } else if (command === 'heap') {
    if (global.gc) {
      global.gc();
    }
    const memory = process.memoryUsage();
    console.log('heap ' + memory.heapUsed + ' ' + memory.external);
  } else if (command === 'probe') {
    console.log('probe none');
  } else if (command === 'quit') {
    quit();
  } else {
    console.log('unknown command ' + command);
  }
}).on('close', quit);
