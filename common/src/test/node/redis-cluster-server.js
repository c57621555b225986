// The official Socket.IO 4 server with the official Redis adapter (@socket.io/redis-adapter), driven by
// RedisAdapterInteropTest: it shares one Redis with a Java server using relaylab's RedisAdapter.
//   node redis-cluster-server.js <redis url> <adapter key>
// Prints one JSON object per line on stdout (what happened). Its clients ask it to broadcast with the event
// "send" {event, args, rooms, except}; they name the rooms to join in their auth {rooms: [...]}.
'use strict';
const http = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const [url, key] = process.argv.slice(2);

function report(message) {
    process.stdout.write(JSON.stringify(message) + '\n');
}

async function main() {
    const pubClient = createClient({ url });
    const subClient = pubClient.duplicate();
    pubClient.on('error', (e) => report({ type: 'redis-error', message: String(e) }));
    subClient.on('error', (e) => report({ type: 'redis-error', message: String(e) }));
    await Promise.all([pubClient.connect(), subClient.connect()]);
    const httpServer = http.createServer();
    const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient, { key }) });
    io.on('connection', (socket) => {
        const rooms = (socket.handshake.auth && socket.handshake.auth.rooms) || [];
        socket.join(rooms);
        socket.on('send', (command) => {
            let target = command.fromSocket ? socket.broadcast : io;
            for (const room of command.rooms || []) {
                target = target.to(room);
            }
            for (const room of command.except || []) {
                target = target.except(room);
            }
            target.emit(command.event, ...(command.args || []));
        });
        report({ type: 'connection', id: socket.id, rooms });
    });
    httpServer.listen(0, '127.0.0.1', () => report({ type: 'listening', port: httpServer.address().port }));
}

main().catch((e) => {
    report({ type: 'error', message: String(e && e.stack || e) });
    process.exit(1);
});
// Exit with the test that started us, even when it could not say goodbye.
require('readline').createInterface({ input: process.stdin }).on('close', () => process.exit(0));
