// The official Socket.IO 4 server with the official Redis adapter (@socket.io/redis-adapter), driven by
// RedisAdapterInteropTest: it shares one Redis with a Java server using relaylab's RedisAdapter.
//   node redis-cluster-server.js <redis url> <adapter key>
// Prints one JSON object per line on stdout (what happened). Its clients ask it to broadcast with the event
// "send" {event, args, rooms, except}; they name the rooms to join in their auth {rooms: [...]} and their name
// {name} (kept in socket.data.name). The test asks the server itself, one JSON command per line on stdin, to make
// the cluster requests: fetchSockets, remoteEmit, socketsJoin, socketsLeave, disconnectSockets,
// serverSideEmit(WithAck), rooms.
// Server-side emits "hello" from other servers are reported, and answered with "node answers <arg>".
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
    const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient, { key, requestsTimeout: 3000 }) });
    io.on('hello', (...args) => {
        const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
        report({ type: 'server-side', event: 'hello', args, withAck: !!ack });
        if (ack) {
            ack('node answers ' + args[0]);
        }
    });
    commands = (command) => run(io, command).catch((e) => report({ type: command.cmd + '-error', message: String(e && e.message || e) }));
    io.on('connection', (socket) => {
        const rooms = (socket.handshake.auth && socket.handshake.auth.rooms) || [];
        socket.data.name = socket.handshake.auth && socket.handshake.auth.name;
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

let commands = null;

function target(io, command) {
    let t = io.of('/');
    for (const room of command.rooms || []) {
        t = t.in(room);
    }
    return t;
}

async function run(io, command) {
    switch (command.cmd) {
        case 'fetchSockets': {
            const sockets = await target(io, command).fetchSockets();
            report({ type: 'fetched', sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data,
                auth: s.handshake.auth, address: s.handshake.address })) });
            break;
        }
        case 'remoteEmit': {
            const sockets = await io.fetchSockets();
            const found = sockets.find((s) => s.data && s.data.name === command.name);
            if (!found) {
                throw new Error('no socket named ' + command.name);
            }
            found.emit(command.event, ...(command.args || []));
            report({ type: 'remoteEmitted', id: found.id });
            break;
        }
        case 'socketsJoin':
            target(io, command).socketsJoin(command.room);
            report({ type: 'done', cmd: command.cmd });
            break;
        case 'socketsLeave':
            target(io, command).socketsLeave(command.room);
            report({ type: 'done', cmd: command.cmd });
            break;
        case 'disconnectSockets':
            target(io, command).disconnectSockets();
            report({ type: 'done', cmd: command.cmd });
            break;
        case 'serverSideEmit':
            io.serverSideEmit(command.event, ...(command.args || []));
            report({ type: 'done', cmd: command.cmd });
            break;
        case 'serverSideEmitWithAck': {
            const responses = await io.serverSideEmitWithAck(command.event, ...(command.args || []));
            report({ type: 'acks', responses });
            break;
        }
        case 'rooms':
            report({ type: 'rooms', sockets: [...io.of('/').sockets.values()].map((s) => ({ name: s.data.name, rooms: [...s.rooms] })) });
            break;
        default:
            throw new Error('unknown command ' + command.cmd);
    }
}

main().catch((e) => {
    report({ type: 'error', message: String(e && e.stack || e) });
    process.exit(1);
});
// Exit with the test that started us, even when it could not say goodbye.
require('readline').createInterface({ input: process.stdin })
    .on('line', (line) => {
        if (!commands) {
            report({ type: 'error', message: 'not ready for commands yet: ' + line });
            return;
        }
        commands(JSON.parse(line));
    })
    .on('close', () => process.exit(0));
