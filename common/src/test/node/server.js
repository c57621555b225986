// The official Socket.IO 4 server, driven by the Java interop tests (relaylab.realtime.interop).
// Prints one JSON object per line on stdout (what happened); reads one JSON command per line on stdin.
//   node server.js [--client <file served at /socket.io/socket.io.js>] [--static <folder served at />]
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const { Server } = require('socket.io');

const argv = process.argv.slice(2);
function option(name) {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
}
const clientFile = option('--client');
const staticDir = option('--static');

function report(message) {
    process.stdout.write(JSON.stringify(message) + '\n');
}

function serveFile(res, file, type) {
    fs.readFile(file, (err, body) => {
        if (err) {
            res.writeHead(404, { 'Content-Type': 'text/plain' });
            res.end('not found: ' + err.message);
            return;
        }
        res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
        res.end(body);
    });
}

// Serves the page folder and, when asked, another client file in place of socket.io's own.
function withStaticFiles(httpServer) {
    const engineListeners = httpServer.listeners('request').slice();
    httpServer.removeAllListeners('request');
    httpServer.on('request', (req, res) => {
        const url = new URL(req.url, 'http://localhost');
        if (clientFile && url.pathname === '/socket.io/socket.io.js') {
            serveFile(res, clientFile, 'application/javascript');
        } else if (staticDir && !url.pathname.startsWith('/socket.io/')) {
            const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
            const file = path.join(staticDir, path.normalize(name));
            const type = name.endsWith('.js') ? 'application/javascript' : 'text/html; charset=utf-8';
            serveFile(res, file, type);
        } else {
            engineListeners.forEach((listener) => listener.call(httpServer, req, res));
        }
    });
}

function describe(socket) {
    return { nsp: socket.nsp.name, id: socket.id };
}

function wire(io) {
    // Refuses a connection to "/" whose auth token is "bad": the client gets connect_error.
    io.use((socket, next) => {
        if (socket.handshake.auth && socket.handshake.auth.token === 'bad') {
            const err = new Error('not authorized');
            err.data = { reason: 'bad token' };
            next(err);
        } else {
            next();
        }
    });
    io.on('connection', (socket) => behave(socket));

    const admin = io.of('/admin');
    admin.use((socket, next) => {
        if (socket.handshake.auth && socket.handshake.auth.role === 'admin') {
            next();
        } else {
            next(new Error('admins only'));
        }
    });
    admin.on('connection', (socket) => behave(socket));
}

function behave(socket) {
    report({ type: 'connection', ...describe(socket), auth: socket.handshake.auth,
        transport: socket.conn.transport.name });
    socket.conn.on('upgrade', (transport) => report({ type: 'upgrade', ...describe(socket), transport: transport.name }));
    socket.emit('welcome', { id: socket.id, nsp: socket.nsp.name });
    socket.onAny((event, ...args) => {
        const hasAck = typeof args[args.length - 1] === 'function';
        const data = hasAck ? args.slice(0, -1) : args;
        report({ type: 'event', ...describe(socket), event, args: data, ack: hasAck });
    });
    // Answers with the same arguments: through the acknowledgement when asked for one, else as an event.
    socket.on('echo', (...args) => {
        const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
        if (ack) {
            ack(...args);
        } else {
            socket.emit('echo', ...args);
        }
    });
    // Asks the client a question that needs an acknowledgement, then tells both sides the answer.
    socket.on('ask-client', (question) => {
        socket.timeout(5000).emit('question', question, (err, ...answer) => {
            if (err) {
                report({ type: 'client-ack-timeout', ...describe(socket) });
                return;
            }
            report({ type: 'client-ack', ...describe(socket), args: answer });
            socket.emit('answer-received', ...answer);
        });
    });
    socket.on('join', (room, ack) => {
        socket.join(room);
        if (typeof ack === 'function') {
            ack('joined ' + room);
        }
    });
    socket.on('to-room', (room, message) => {
        socket.to(room).emit('room-message', message);
    });
    socket.on('disconnect', (reason) => report({ type: 'disconnect', ...describe(socket), reason }));
}

let httpServer;
let io;

function start(port) {
    httpServer = http.createServer();
    io = new Server(httpServer, { serveClient: !clientFile, cors: { origin: true } });
    withStaticFiles(httpServer);
    wire(io);
    httpServer.on('error', (err) => {
        report({ type: 'error', message: err.message });
        process.exit(2);
    });
    httpServer.listen(port, '127.0.0.1', () => report({ type: 'listening', port: httpServer.address().port }));
}

function stop(callback) {
    io.close(() => callback && callback());
    httpServer.closeAllConnections(); // keep-alive page connections would hold the port open
}

const readline = require('readline').createInterface({ input: process.stdin });
readline.on('line', (line) => {
    let command;
    try {
        command = JSON.parse(line);
    } catch (e) {
        report({ type: 'error', message: 'not a JSON command: ' + line });
        return;
    }
    if (command.cmd === 'restart') {
        const port = httpServer.address().port;
        stop(() => start(port));
    } else if (command.cmd === 'stop') {
        stop(() => {
            report({ type: 'stopped' });
        });
    } else if (command.cmd === 'start') {
        start(command.port);
    } else if (command.cmd === 'emit') {
        io.of(command.nsp || '/').emit(command.event, ...(command.args || []));
    } else if (command.cmd === 'exit') {
        process.exit(0);
    } else {
        report({ type: 'error', message: 'unknown command ' + command.cmd });
    }
});
// Exit with the test that started us, even when it could not say goodbye.
readline.on('close', () => process.exit(0));

start(Number(option('--port') || 0));
