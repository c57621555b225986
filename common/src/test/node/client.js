// The official Socket.IO 4 client, driven by the Java interop tests (relaylab.realtime.interop).
// Reads one JSON command per line on stdin; prints one JSON object per line on stdout.
//   node client.js [--module <file that exports io(), instead of socket.io-client>]
'use strict';
const argv = process.argv.slice(2);
const moduleIndex = argv.indexOf('--module');
if (moduleIndex >= 0 && typeof WebSocket === 'undefined') {
    global.WebSocket = require('ws'); // a browser-style client needs the browser's WebSocket
}
const io = moduleIndex >= 0 ? require(require('path').resolve(argv[moduleIndex + 1])) : require('socket.io-client');

const sockets = {};

function report(message) {
    process.stdout.write(JSON.stringify(message) + '\n');
}

function connect(command) {
    const name = command.name;
    const opts = Object.assign({ forceNew: true }, command.opts || {});
    const replies = command.replies || {};
    const socket = io(command.url, opts);
    sockets[name] = socket;
    socket.on('connect', () => {
        const engine = socket.io.engine;
        report({ type: 'connect', name, id: socket.id, transport: engine && engine.transport ? engine.transport.name : null,
            recovered: socket.recovered === true });
    });
    socket.on('connect_error', (err) => {
        report({ type: 'connect_error', name, message: err.message, data: err.data === undefined ? null : err.data,
            active: socket.active });
    });
    socket.on('disconnect', (reason) => report({ type: 'disconnect', name, reason }));
    socket.onAny((event, ...args) => {
        const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
        report({ type: 'event', name, event, args, ack: ack !== null });
        if (ack) {
            ack(...(replies[event] || ['client got ' + event]));
        }
    });
    socket.io.on('reconnect_attempt', (attempt) => report({ type: 'reconnect_attempt', name, attempt }));
    socket.io.on('reconnect', (attempt) => report({ type: 'reconnect', name, attempt }));
    socket.io.on('open', () => {
        const engine = socket.io.engine;
        report({ type: 'open', name, transport: engine && engine.transport ? engine.transport.name : null });
        if (engine && typeof engine.on === 'function') {
            engine.on('upgrade', (transport) => report({ type: 'upgrade', name, transport: transport.name }));
        }
    });
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
    const socket = sockets[command.name];
    if (command.cmd === 'connect') {
        connect(command);
    } else if (command.cmd === 'emit' && socket) {
        const args = command.args || [];
        if (command.ack) {
            socket.emit(command.event, ...args, (...reply) => report({ type: 'ack', name: command.name, ref: command.ref, args: reply }));
        } else {
            socket.emit(command.event, ...args);
        }
    } else if (command.cmd === 'disconnect' && socket) {
        socket.disconnect();
    } else if (command.cmd === 'drop' && socket) {
        // the connection drops as if the network failed, and the client reconnects by itself: the official engine's
        // close() counts as "forced close"; relaylab's engine is dropped by closing its WebSocket
        const engine = socket.io.engine;
        if (engine._ws) {
            engine._ws.close();
        } else {
            engine.close();
        }
    } else if (command.cmd === 'exit') {
        process.exit(0);
    } else {
        report({ type: 'error', message: 'cannot do ' + line });
    }
});
readline.on('close', () => process.exit(0));
report({ type: 'ready' });
