// Checks of relaylab's browser client (src/main/resources/relaylab/realtime/socket.io.js) API details,
// run in Node against the official socket.io server; ClientChecksTest runs it. One JSON line per check:
// {"type":"check","name":...,"ok":true|false,"detail":...}, then {"type":"done"}.
'use strict';
const http = require('http');
const path = require('path');
const { Server } = require('socket.io');
global.WebSocket = require('ws');
const io = require(path.resolve(process.argv[2]));

function report(message) {
    process.stdout.write(JSON.stringify(message) + '\n');
}

function within(ms, what, executor) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out after ' + ms + ' ms waiting for ' + what)), ms);
        executor((value) => { clearTimeout(timer); resolve(value); }, (err) => { clearTimeout(timer); reject(err); });
    });
}

function once(emitter, event, ms) {
    return within(ms || 5000, 'event ' + event, (resolve) => emitter.once(event, (...args) => resolve(args)));
}

function assert(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

async function main() {
    const httpServer = http.createServer();
    const server = new Server(httpServer, { serveClient: false, pingInterval: 300, pingTimeout: 3000 });
    server.on('connection', (socket) => {
        socket.on('echo', (...args) => {
            const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
            if (ack) {
                ack(...args);
            }
        });
        socket.on('silent', () => { /* never acknowledges */ });
        socket.on('kick', () => socket.disconnect(true));
        socket.on('count', (ack) => ack(server.of('/').sockets.size));
    });
    server.of('/admin').on('connection', (socket) => socket.emit('hello-admin', socket.nsp.name));
    await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const url = 'http://127.0.0.1:' + httpServer.address().port;

    const checks = {
        // first: io(url) caches one manager per server, like a page that calls io() and io('/admin') once each
        'namespaces share one connection (multiplexing)': async () => {
            const main = io(url);
            const admin = io(url + '/admin');
            const [name] = await once(admin, 'hello-admin');
            await once(main, 'connect').catch(() => null);
            const same = main.io === admin.io;
            main.disconnect();
            admin.disconnect();
            assert(name === '/admin', 'admin namespace greeted with ' + name);
            assert(same, 'io(url) and io(url + "/admin") should share their manager');
        },
        'reserved event names cannot be emitted': async () => {
            const s = io(url, { forceNew: true, autoConnect: false });
            let thrown = null;
            try {
                s.emit('connect');
            } catch (e) {
                thrown = e;
            }
            assert(thrown && /reserved/.test(thrown.message), 'emit("connect") should throw a "reserved" error');
        },
        'emitWithAck resolves with the acknowledgement': async () => {
            const s = io(url, { forceNew: true });
            const reply = await within(5000, 'ack', (resolve, reject) => s.emitWithAck('echo', 'x').then(resolve, reject));
            s.disconnect();
            assert(reply === 'x', 'expected "x", got ' + JSON.stringify(reply));
        },
        'timeout(ms).emit calls back with an error when no ack comes': async () => {
            const s = io(url, { forceNew: true });
            const [err] = await within(5000, 'timeout callback', (resolve) => s.timeout(100).emit('silent', (...a) => resolve(a)));
            s.disconnect();
            assert(err instanceof Error && /timed out/.test(err.message), 'expected a timeout Error, got ' + err);
        },
        'timeout(ms).emit passes (null, reply) when the ack comes': async () => {
            const s = io(url, { forceNew: true });
            const [err, reply] = await within(5000, 'ack', (resolve) => s.timeout(2000).emit('echo', 7, (...a) => resolve(a)));
            s.disconnect();
            assert(err === null && reply === 7, 'expected (null, 7), got ' + JSON.stringify([err, reply]));
        },
        'once, off and onAny': async () => {
            const s = io(url, { forceNew: true });
            await once(s, 'connect');
            let onceCount = 0;
            let offCount = 0;
            const any = [];
            const off = () => offCount++;
            s.once('ping-me', () => onceCount++);
            s.on('ping-me', off);
            s.off('ping-me', off);
            s.onAny((event, ...args) => any.push(event + ':' + args.join(',')));
            server.emit('ping-me', 1);
            server.emit('ping-me', 2);
            server.emit('last');
            await once(s, 'last');
            s.disconnect();
            assert(onceCount === 1, 'once listener ran ' + onceCount + ' times');
            assert(offCount === 0, 'removed listener ran ' + offCount + ' times');
            assert(any.join(' ') === 'ping-me:1 ping-me:2 last:', 'onAny saw ' + any.join(' '));
        },
        'a server-side disconnect does not reconnect': async () => {
            const s = io(url, { forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
            await once(s, 'connect');
            s.emit('kick');
            const [reason] = await once(s, 'disconnect');
            assert(reason === 'io server disconnect', 'reason was ' + reason);
            assert(!s.active, 'socket should not be active after a server-side disconnect');
            const [count] = await within(5000, 'count', (resolve) => {
                const probe = io(url, { forceNew: true });
                probe.emit('count', (n) => { probe.disconnect(); resolve([n]); });
            });
            assert(count === 1, 'the server has ' + count + ' sockets; the kicked client came back');
        },
        'disconnect() then connect() reconnects with a new id': async () => {
            const s = io(url, { forceNew: true });
            await once(s, 'connect');
            const first = s.id;
            s.disconnect();
            assert(s.connected === false && s.id === undefined, 'after disconnect: connected=' + s.connected + ' id=' + s.id);
            s.connect();
            await once(s, 'connect');
            const second = s.id;
            s.disconnect();
            assert(second && second !== first, 'ids ' + first + ' then ' + second);
        },
        'emits while disconnected are sent after connecting': async () => {
            const s = io(url, { forceNew: true, autoConnect: false });
            const acks = [];
            s.emit('echo', 'a', (r) => acks.push(r));
            s.emit('echo', 'b', (r) => acks.push(r));
            assert(s.sendBuffer.length === 2, 'two packets should wait in the buffer, found ' + s.sendBuffer.length);
            s.connect();
            await within(5000, 'both acks', (resolve) => {
                const t = setInterval(() => { if (acks.length === 2) { clearInterval(t); resolve(); } }, 10);
            });
            s.disconnect();
            assert(acks.join('') === 'ab', 'acks in order: ' + acks.join(''));
        },
        'auth as a function is called on connect': async () => {
            let called = 0;
            const seen = [];
            server.use((socket, next) => { seen.push(socket.handshake.auth.via); next(); });
            const s = io(url, { forceNew: true, auth: (cb) => { called++; cb({ via: 'function' }); } });
            await once(s, 'connect');
            s.disconnect();
            assert(called === 1 && seen.includes('function'), 'auth function called ' + called + ' times; server saw ' + seen);
        },
        // The server sends its next ping only after the pong for the previous one: three pings prove the pongs.
        'answers the server pings (stays connected over several ping intervals)': async () => {
            const s = io(url, { forceNew: true });
            await once(s, 'connect');
            let pings = 0;
            s.io.on('ping', () => pings++);
            let dropped = null;
            s.on('disconnect', (reason) => { dropped = reason; });
            await within(5000, 'three pings', (resolve) => {
                const t = setInterval(() => { if (pings >= 3) { clearInterval(t); resolve(); } }, 20);
            });
            const still = s.connected;
            const droppedBefore = dropped;
            s.disconnect();
            assert(still && droppedBefore === null, 'connection dropped: ' + droppedBefore);
        },
        'transports without websocket give a connect_error': async () => {
            const s = io(url, { forceNew: true, transports: ['polling'] });
            const [err] = await once(s, 'connect_error');
            s.disconnect();
            assert(/websocket/.test(err.message), 'message: ' + err.message);
        },
        'an unreachable server gives connect_error and reconnect attempts': async () => {
            const s = io('http://127.0.0.1:1', { forceNew: true, reconnectionDelay: 20, reconnectionDelayMax: 40 });
            await once(s, 'connect_error');
            const [attempt] = await once(s.io, 'reconnect_attempt');
            s.disconnect();
            assert(attempt === 1, 'first attempt number ' + attempt);
        },
        'reconnection delays: jitter first, then the 5 s cap, as socket.io-client (seeded random)': async () => {
            const delay = io.Manager.backoffDelay;
            const fixed = (r) => () => r;
            // deviation floor(r * 0.5 * ms): subtracted when floor(r * 10) is even, added when odd
            assert(delay(0, 1000, 5000, 0.5, fixed(0.25)) === 875, 'r 0.25, attempt 0: ' + delay(0, 1000, 5000, 0.5, fixed(0.25)));
            assert(delay(0, 1000, 5000, 0.5, fixed(0.35)) === 1175, 'r 0.35, attempt 0: ' + delay(0, 1000, 5000, 0.5, fixed(0.35)));
            assert(delay(3, 1000, 5000, 0.5, fixed(0.8)) === 4800, '8 s - 3.2 s is under the cap: ' + delay(3, 1000, 5000, 0.5, fixed(0.8)));
            assert(delay(3, 1000, 5000, 0.5, fixed(0.9)) === 5000, '8 s + 3.6 s is capped: ' + delay(3, 1000, 5000, 0.5, fixed(0.9)));
            let seed = 20261201;
            const seeded = () => {   // a small linear congruential generator: the same numbers on every run
                seed = (seed * 1103515245 + 12345) % 2147483648;
                return seed / 2147483648;
            };
            const third = [];
            for (let series = 0; series < 200; series++) {
                for (let attempt = 0; attempt < 6; attempt++) {
                    const d = delay(attempt, 1000, 5000, 0.5, seeded);
                    const base = 1000 * Math.pow(2, attempt);
                    assert(d >= Math.min(base / 2, 5000) && d <= Math.min(base * 1.5, 5000),
                        'attempt ' + attempt + ' gave ' + d);
                    if (attempt === 3) {
                        third.push(d);
                    }
                }
            }
            assert(third.some((d) => d < 5000) && third.some((d) => d === 5000),
                'attempt 3 (8 s ± 4 s) should end both under and at the cap: ' + third.slice(0, 10));
        },
    };

    for (const [name, check] of Object.entries(checks)) {
        try {
            await check();
            report({ type: 'check', name, ok: true });
        } catch (e) {
            report({ type: 'check', name, ok: false, detail: e.message });
        }
    }
    report({ type: 'done' });
    server.close();
    process.exit(0);
}

main().catch((e) => {
    report({ type: 'error', message: e.stack || String(e) });
    process.exit(1);
});
