/*
 * Relay Lab browser client for Socket.IO v5 over Engine.IO v4, written for this workbook.
 *
 * Served by relaylab.realtime at /socket.io/socket.io.js. It offers the part of the `io()` API that
 * lesson pages use, so a page written for the official socket.io 4 client runs unchanged:
 *
 *   const socket = io();                      // or io('/admin'), io('http://host:port', { auth: {...} })
 *   socket.on('connect', () => console.log(socket.id, socket.connected));
 *   socket.emit('chat', 'hi', (reply) => ...);  // a function as last argument asks for an acknowledgement
 *   socket.on('chat', (msg, ack) => ack && ack('thanks'));
 *   socket.on('connect_error', (err) => console.log(err.message, err.data));
 *   socket.on('disconnect', (reason) => ...);
 *
 * Also: off, once, onAny/offAny, timeout(ms).emit(...), emitWithAck, connect/disconnect (open/close),
 * socket.auth, socket.io (the Manager: on('reconnect_attempt' | 'reconnect' | 'reconnect_error' ...)),
 * socket.recovered (connection state recovery: the pid and last offset go back in CONNECT by themselves).
 *
 * Differences from the official client, on purpose: WebSocket is the only transport (every browser
 * this workbook targets has it; the `transports` option is accepted and must include 'websocket'),
 * and arguments must be JSON values (no ArrayBuffer/Blob attachments).
 */
(function (global) {
    'use strict';

    // Engine.IO v4 packet types (the first character of every WebSocket text frame).
    var EIO_OPEN = '0', EIO_CLOSE = '1', EIO_PING = '2', EIO_PONG = '3', EIO_MESSAGE = '4', EIO_NOOP = '6';
    // Socket.IO v5 packet types (the first character after an Engine.IO "4").
    var SIO_CONNECT = 0, SIO_DISCONNECT = 1, SIO_EVENT = 2, SIO_ACK = 3, SIO_CONNECT_ERROR = 4,
        SIO_BINARY_EVENT = 5, SIO_BINARY_ACK = 6;
    var RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

    // ---------------------------------------------------------------- a small event emitter

    function Emitter() {
        this._listeners = {};
    }

    Emitter.prototype.on = function (event, fn) {
        (this._listeners[event] = this._listeners[event] || []).push(fn);
        return this;
    };
    Emitter.prototype.addEventListener = Emitter.prototype.on;

    Emitter.prototype.once = function (event, fn) {
        var self = this;
        function wrapper() {
            self.off(event, wrapper);
            fn.apply(self, arguments);
        }
        wrapper.original = fn;
        return this.on(event, wrapper);
    };

    Emitter.prototype.off = function (event, fn) {
        if (event === undefined) {
            this._listeners = {};
            return this;
        }
        if (fn === undefined) {
            delete this._listeners[event];
            return this;
        }
        var list = this._listeners[event] || [];
        for (var i = 0; i < list.length; i++) {
            if (list[i] === fn || list[i].original === fn) {
                list.splice(i, 1);
                break;
            }
        }
        return this;
    };
    Emitter.prototype.removeListener = Emitter.prototype.off;
    Emitter.prototype.removeAllListeners = function (event) {
        return this.off(event);
    };

    Emitter.prototype.listeners = function (event) {
        return (this._listeners[event] || []).slice();
    };

    Emitter.prototype.hasListeners = function (event) {
        return this.listeners(event).length > 0;
    };

    // Calls the listeners of `event`; named emitLocal because Socket.emit sends to the server.
    Emitter.prototype.emitLocal = function (event) {
        var args = Array.prototype.slice.call(arguments, 1);
        var list = this.listeners(event);
        for (var i = 0; i < list.length; i++) {
            list[i].apply(this, args);
        }
        return this;
    };

    function inherit(Child, Parent) {
        Child.prototype = Object.create(Parent.prototype);
        Child.prototype.constructor = Child;
    }

    // ---------------------------------------------------------------- Socket.IO packet text

    function encodePacket(packet) {
        var text = String(packet.type);
        if (packet.nsp && packet.nsp !== '/') {
            text += packet.nsp + ',';
        }
        if (packet.id !== undefined && packet.id !== null) {
            text += packet.id;
        }
        if (packet.data !== undefined) {
            text += JSON.stringify(packet.data);
        }
        return text;
    }

    // Returns {type, nsp, id, data} or throws an Error naming what is wrong.
    function decodePacket(text) {
        var type = Number(text.charAt(0));
        if (!(type >= SIO_CONNECT && type <= SIO_BINARY_ACK) || text.length === 0) {
            throw new Error('unknown Socket.IO packet type in "' + text.slice(0, 40) + '"');
        }
        var i = 1;
        if (type === SIO_BINARY_EVENT || type === SIO_BINARY_ACK) {
            throw new Error('binary packets are not supported by this client');
        }
        var nsp = '/';
        if (text.charAt(i) === '/') {
            var comma = text.indexOf(',', i);
            if (comma < 0) {
                throw new Error('namespace without a comma in "' + text.slice(0, 40) + '"');
            }
            nsp = text.slice(i, comma);
            i = comma + 1;
        }
        var start = i;
        while (i < text.length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        var id = i > start ? Number(text.slice(start, i)) : undefined;
        var data = i < text.length ? JSON.parse(text.slice(i)) : undefined;
        return { type: type, nsp: nsp, id: id, data: data };
    }

    // ---------------------------------------------------------------- reconnection delays

    // Delay before attempt n (0-based), in socket.io-client's order: base * 2^n, moved up or down by a random
    // share of itself (deviation = floor(r * randomization * delay), subtracted when floor(r * 10) is even, added
    // when odd), and only then capped at max; so from the attempt where even the lowest jitter passes max, every
    // delay is max. random: a function giving numbers in [0, 1), Math.random unless a check passes a seeded one.
    function backoffDelay(attempt, base, max, randomization, random) {
        var delay = base * Math.pow(2, Math.min(attempt, 30));
        if (randomization > 0) {
            var r = (random || Math.random)();
            var deviation = Math.floor(r * randomization * delay);
            delay = (Math.floor(r * 10) & 1) === 0 ? delay - deviation : delay + deviation;
        }
        return Math.max(0, Math.floor(Math.min(delay, max)));
    }

    // ---------------------------------------------------------------- Manager: one connection, many namespaces

    function Manager(uri, opts) {
        Emitter.call(this);
        this.uri = uri;
        this.opts = opts;
        this.nsps = {};
        this.engine = null;
        this._readyState = 'closed';
        this._attempts = 0;
        this._reconnecting = false;
        this._reconnectTimer = null;
        this._skipReconnect = false;
        this._reconnection = opts.reconnection !== false;
        this._reconnectionAttempts = opts.reconnectionAttempts === undefined ? Infinity : opts.reconnectionAttempts;
        this._reconnectionDelay = opts.reconnectionDelay === undefined ? 1000 : opts.reconnectionDelay;
        this._reconnectionDelayMax = opts.reconnectionDelayMax === undefined ? 5000 : opts.reconnectionDelayMax;
        this._randomization = opts.randomizationFactor === undefined ? 0.5 : opts.randomizationFactor;
        this._timeout = opts.timeout === undefined ? 20000 : opts.timeout;
    }
    inherit(Manager, Emitter);

    Manager.prototype.reconnection = function (value) {
        if (value === undefined) {
            return this._reconnection;
        }
        this._reconnection = !!value;
        return this;
    };

    Manager.prototype._engineUrl = function () {
        var u = new URL(this.uri);
        var scheme = u.protocol === 'https:' || u.protocol === 'wss:' ? 'wss:' : 'ws:';
        var path = (this.opts.path || '/socket.io').replace(/\/$/, '') + '/';
        var params = ['EIO=4', 'transport=websocket'];
        var query = this.opts.query || {};
        if (typeof query === 'string') {
            query.split('&').forEach(function (pair) {
                if (pair) {
                    params.push(pair);
                }
            });
        } else {
            Object.keys(query).forEach(function (key) {
                params.push(encodeURIComponent(key) + '=' + encodeURIComponent(query[key]));
            });
        }
        return scheme + '//' + u.host + path + '?' + params.join('&');
    };

    // Opens the WebSocket unless it is open or opening; callback(err) is called once with the outcome.
    Manager.prototype.open = function (callback) {
        var self = this;
        if (this._readyState === 'open' || this._readyState === 'opening') {
            if (callback && this._readyState === 'open') {
                callback();
            }
            return this;
        }
        var transports = this.opts.transports;
        if (transports && transports.indexOf('websocket') < 0) {
            var unsupported = new Error('this client only speaks the websocket transport, not ' + transports.join(', '));
            setTimeout(function () {
                self.emitLocal('error', unsupported);
            }, 0);
            return this;
        }
        this._skipReconnect = false;
        this._readyState = 'opening';
        var engine = new Engine(this._engineUrl());
        this.engine = engine;
        var timer = null;
        if (this._timeout !== false) {
            timer = setTimeout(function () {
                if (self.engine === engine && self._readyState === 'opening') {
                    engine.close();
                    self._onOpenFailed(new Error('timeout'), callback);
                }
            }, this._timeout);
        }
        engine.onopen = function () {
            clearTimeout(timer);
            self._readyState = 'open';
            self.emitLocal('open');
            if (callback) {
                callback();
            }
        };
        engine.onpacket = function (text) {
            self._onPacket(text);
        };
        engine.onping = function () {
            self.emitLocal('ping');
        };
        engine.onclose = function (reason, opened) {
            clearTimeout(timer);
            if (self.engine !== engine) {
                return;
            }
            if (!opened) {
                self._onOpenFailed(new Error('websocket error'), callback);
            } else {
                self._onClose(reason);
            }
        };
        return this;
    };
    Manager.prototype.connect = Manager.prototype.open;

    Manager.prototype._onOpenFailed = function (err, callback) {
        this._readyState = 'closed';
        this.engine = null;
        this.emitLocal('error', err);
        if (callback) {
            callback(err);
        } else {
            this._maybeReconnect();
        }
    };

    Manager.prototype._onPacket = function (text) {
        var packet;
        try {
            packet = decodePacket(text);
        } catch (e) {
            console.error('socket.io: dropped a packet from the server: ' + e.message);
            return;
        }
        var socket = this.nsps[packet.nsp];
        if (socket) {
            socket._onPacket(packet);
        }
    };

    Manager.prototype._send = function (packet) {
        if (this.engine && this._readyState === 'open') {
            this.engine.send(EIO_MESSAGE + encodePacket(packet));
        }
    };

    Manager.prototype._onClose = function (reason) {
        this._readyState = 'closed';
        this.engine = null;
        var self = this;
        Object.keys(this.nsps).forEach(function (nsp) {
            self.nsps[nsp]._onClose(reason);
        });
        this.emitLocal('close', reason);
        if (this._reconnection && !this._skipReconnect) {
            this._reconnect();
        }
    };

    Manager.prototype._maybeReconnect = function () {
        if (!this._reconnecting && this._reconnection && !this._skipReconnect) {
            this._reconnect();
        }
    };

    Manager.prototype._reconnect = function () {
        var self = this;
        if (this._reconnecting || this._skipReconnect) {
            return;
        }
        if (this._attempts >= this._reconnectionAttempts) {
            this._attempts = 0;
            this.emitLocal('reconnect_failed');
            return;
        }
        var delay = backoffDelay(this._attempts, this._reconnectionDelay, this._reconnectionDelayMax,
            this._randomization);
        this._reconnecting = true;
        this._reconnectTimer = setTimeout(function () {
            self._reconnectTimer = null;
            if (self._skipReconnect) {
                self._reconnecting = false;
                return;
            }
            self._attempts++;
            self.emitLocal('reconnect_attempt', self._attempts);
            self.open(function (err) {
                self._reconnecting = false;
                if (err) {
                    self.emitLocal('reconnect_error', err);
                    self._reconnect();
                } else {
                    var attempts = self._attempts;
                    self._attempts = 0;
                    self.emitLocal('reconnect', attempts);
                }
            });
        }, delay);
    };

    // Called when a socket stops (disconnect() or a refused CONNECT): closes the connection when no
    // namespace needs it any more.
    Manager.prototype._socketStopped = function () {
        var self = this;
        var anyActive = Object.keys(this.nsps).some(function (nsp) {
            return self.nsps[nsp].active;
        });
        if (!anyActive) {
            this._close();
        }
    };

    Manager.prototype._close = function () {
        this._skipReconnect = true;
        this._reconnecting = false;
        if (this._reconnectTimer) {
            clearTimeout(this._reconnectTimer);
            this._reconnectTimer = null;
        }
        this._attempts = 0;
        var engine = this.engine;
        this.engine = null;
        this._readyState = 'closed';
        if (engine) {
            engine.close();
        }
    };

    Manager.prototype.socket = function (nsp, opts) {
        var socket = this.nsps[nsp];
        if (!socket) {
            socket = new Socket(this, nsp, opts || {});
            this.nsps[nsp] = socket;
        }
        return socket;
    };

    // ---------------------------------------------------------------- Engine: Engine.IO v4 over one WebSocket

    function Engine(url) {
        var self = this;
        this.id = null;
        this.transport = { name: 'websocket' };
        this._opened = false;
        this._closed = false;
        this._pingTimer = null;
        this._pingWait = 45000;
        this._ws = new WebSocket(url);
        this._ws.onmessage = function (event) {
            self._onFrame(event.data);
        };
        this._ws.onclose = function () {
            self._finish('transport close');
        };
        this._ws.onerror = function () {
            self._finish('transport error');
        };
    }

    Engine.prototype._onFrame = function (data) {
        if (typeof data !== 'string') {
            console.error('socket.io: binary frames are not supported by this client; one was dropped');
            return;
        }
        var type = data.charAt(0);
        if (type === EIO_OPEN) {
            var handshake = JSON.parse(data.slice(1));
            this.id = handshake.sid;
            this._pingWait = (handshake.pingInterval || 25000) + (handshake.pingTimeout || 20000);
            this._opened = true;
            this._armPingTimer();
            this.onopen();
        } else if (type === EIO_PING) {
            this._armPingTimer();
            this._ws.send(EIO_PONG + data.slice(1));
            this.onping();
        } else if (type === EIO_MESSAGE) {
            this._armPingTimer();
            this.onpacket(data.slice(1));
        } else if (type === EIO_CLOSE) {
            this._finish('transport close');
        } else if (type !== EIO_NOOP && type !== EIO_PONG) {
            console.error('socket.io: unknown Engine.IO packet "' + data.slice(0, 20) + '" dropped');
        }
    };

    // The server pings every pingInterval; no ping (or message) for pingInterval + pingTimeout means it is gone.
    Engine.prototype._armPingTimer = function () {
        var self = this;
        clearTimeout(this._pingTimer);
        this._pingTimer = setTimeout(function () {
            self._finish('ping timeout');
        }, this._pingWait);
    };

    Engine.prototype.send = function (text) {
        if (!this._closed && this._ws.readyState === WebSocket.OPEN) {
            this._ws.send(text);
        }
    };

    // Closes on purpose: no callback fires.
    Engine.prototype.close = function () {
        this._closed = true;
        clearTimeout(this._pingTimer);
        try {
            this._ws.close();
        } catch (e) {
            console.error('socket.io: closing the WebSocket failed: ' + e.message);
        }
    };

    Engine.prototype._finish = function (reason) {
        if (this._closed) {
            return;
        }
        this._closed = true;
        clearTimeout(this._pingTimer);
        if (this._ws.readyState === WebSocket.OPEN || this._ws.readyState === WebSocket.CONNECTING) {
            this._ws.close();
        }
        this.onclose(reason, this._opened);
    };

    // ---------------------------------------------------------------- Socket: one namespace

    function Socket(manager, nsp, opts) {
        Emitter.call(this);
        this.io = manager;
        this.nsp = nsp;
        this.id = undefined;
        this.connected = false;
        this.disconnected = true;
        this.auth = opts.auth;
        this.sendBuffer = [];
        this.receiveBuffer = [];
        this.recovered = false;   // connection state recovery: true when the server restored this session
        this._pid = undefined;
        this._lastOffset = undefined;
        this._anyListeners = [];
        this._acks = {};
        this._ackTimers = {};
        this._nextAckId = 0;
        this._active = false;
        this._flags = {};
        var self = this;
        this._subs = [
            [manager, 'open', function () { self._onOpen(); }],
            [manager, 'error', function (err) {
                if (!self.connected) {
                    self.emitLocal('connect_error', err);
                }
            }]
        ];
    }
    inherit(Socket, Emitter);

    Object.defineProperty(Socket.prototype, 'active', {
        get: function () {
            return this._active;
        }
    });

    Socket.prototype.connect = function () {
        if (this.connected || this._active) {
            return this;
        }
        this._active = true;
        this._subs.forEach(function (sub) {
            sub[0].on(sub[1], sub[2]);
        });
        if (this.io._readyState === 'open') {
            this._onOpen();
        } else {
            this.io._skipReconnect = false;
            this.io.open();
        }
        return this;
    };
    Socket.prototype.open = Socket.prototype.connect;

    Socket.prototype._onOpen = function () {
        var self = this;
        if (typeof this.auth === 'function') {
            this.auth(function (data) {
                self.io._send({ type: SIO_CONNECT, nsp: self.nsp, data: self._withSession(data) });
            });
        } else {
            this.io._send({ type: SIO_CONNECT, nsp: this.nsp, data: this._withSession(this.auth) });
        }
    };

    // With connection state recovery, CONNECT carries {pid, offset} so that the server can restore the session.
    Socket.prototype._withSession = function (data) {
        return this._pid ? Object.assign({ pid: this._pid, offset: this._lastOffset }, data) : data;
    };

    Socket.prototype._onPacket = function (packet) {
        switch (packet.type) {
            case SIO_CONNECT:
                if (packet.data && packet.data.sid) {
                    this._onConnect(packet.data.sid, packet.data.pid);
                } else {
                    this.emitLocal('connect_error', new Error('the server answered CONNECT without a sid'));
                }
                break;
            case SIO_CONNECT_ERROR:
                this._deactivate();
                this.io._socketStopped();
                var data = packet.data || {};
                var err = new Error(data.message || 'connection refused');
                err.data = data.data;
                this.emitLocal('connect_error', err);
                break;
            case SIO_EVENT:
                if (this.connected) {
                    this._onEvent(packet);
                } else {
                    this.receiveBuffer.push(packet);
                }
                break;
            case SIO_ACK:
                this._onAck(packet);
                break;
            case SIO_DISCONNECT:
                this._deactivate();
                this._onClose('io server disconnect');
                this.io._socketStopped();
                break;
            default:
                console.error('socket.io: unexpected packet type ' + packet.type + ' dropped');
        }
    };

    Socket.prototype._onConnect = function (sid, pid) {
        this.id = sid;
        this.recovered = !!pid && this._pid === pid;
        this._pid = pid;
        this.connected = true;
        this.disconnected = false;
        var self = this;
        this.receiveBuffer.splice(0).forEach(function (packet) {
            self._onEvent(packet);
        });
        this.sendBuffer.splice(0).forEach(function (packet) {
            self.io._send(packet);
        });
        this.emitLocal('connect');
    };

    Socket.prototype._onEvent = function (packet) {
        var args = Array.isArray(packet.data) ? packet.data.slice() : [];
        if (packet.id !== undefined) {
            args.push(this._ackSender(packet.id));
        }
        var self = this;
        this._anyListeners.slice().forEach(function (fn) {
            fn.apply(self, args);
        });
        Emitter.prototype.emitLocal.apply(this, args);
        var data = Array.isArray(packet.data) ? packet.data : [];
        if (this._pid && data.length > 1 && typeof data[data.length - 1] === 'string') {
            this._lastOffset = data[data.length - 1];   // a kept event's offset, sent back to recover the session
        }
    };

    // The function a listener calls to answer an event that asked for an acknowledgement (once).
    Socket.prototype._ackSender = function (id) {
        var self = this;
        var sent = false;
        return function () {
            if (sent) {
                return;
            }
            sent = true;
            self._packet({ type: SIO_ACK, nsp: self.nsp, id: id, data: Array.prototype.slice.call(arguments) });
        };
    };

    Socket.prototype._onAck = function (packet) {
        var fn = this._acks[packet.id];
        if (typeof fn !== 'function') {
            return;
        }
        delete this._acks[packet.id];
        clearTimeout(this._ackTimers[packet.id]);
        delete this._ackTimers[packet.id];
        fn.apply(this, Array.isArray(packet.data) ? packet.data : []);
    };

    // Sends an event to the server; a function as the last argument receives the server's acknowledgement.
    Socket.prototype.emit = function (event) {
        if (RESERVED.indexOf(event) >= 0) {
            throw new Error('"' + event + '" is a reserved event name');
        }
        var args = Array.prototype.slice.call(arguments);
        args.forEach(function (arg) {
            if (arg instanceof ArrayBuffer || ArrayBuffer.isView(arg) || (typeof Blob !== 'undefined' && arg instanceof Blob)) {
                throw new TypeError('this client sends JSON values only; binary arguments are not supported');
            }
        });
        var packet = { type: SIO_EVENT, nsp: this.nsp, data: args };
        var flags = this._flags;
        this._flags = {};
        if (typeof args[args.length - 1] === 'function') {
            var id = this._nextAckId++;
            var fn = args.pop();
            packet.id = id;
            if (flags.timeout !== undefined) {
                fn = this._withTimeout(id, flags.timeout, fn);
            }
            this._acks[id] = fn;
        }
        this._packet(packet);
        return this;
    };

    Socket.prototype.send = function () {
        var args = Array.prototype.slice.call(arguments);
        args.unshift('message');
        return this.emit.apply(this, args);
    };

    // Sends now when connected; otherwise keeps the packet and sends it right after the next connect.
    Socket.prototype._packet = function (packet) {
        if (this.connected) {
            this.io._send(packet);
        } else {
            this.sendBuffer.push(packet);
        }
    };

    // Wraps an acknowledgement callback so that it receives (err, ...reply), err being set after `ms`.
    Socket.prototype._withTimeout = function (id, ms, fn) {
        var self = this;
        this._ackTimers[id] = setTimeout(function () {
            delete self._acks[id];
            delete self._ackTimers[id];
            for (var i = 0; i < self.sendBuffer.length; i++) {
                if (self.sendBuffer[i].id === id) {
                    self.sendBuffer.splice(i, 1);
                }
            }
            fn.call(self, new Error('operation has timed out'));
        }, ms);
        var wrapped = function () {
            fn.apply(self, [null].concat(Array.prototype.slice.call(arguments)));
        };
        wrapped.withError = fn;
        return wrapped;
    };

    // socket.timeout(ms).emit('ev', data, (err, reply) => ...)
    Socket.prototype.timeout = function (ms) {
        this._flags.timeout = ms;
        return this;
    };

    // const reply = await socket.emitWithAck('ev', data)  (rejects on timeout when used after timeout(ms))
    Socket.prototype.emitWithAck = function () {
        var self = this;
        var args = Array.prototype.slice.call(arguments);
        var withTimeout = this._flags.timeout !== undefined;
        return new Promise(function (resolve, reject) {
            args.push(function (a, b) {
                if (withTimeout) {
                    return a ? reject(a) : resolve(b);
                }
                return resolve(a);
            });
            self.emit.apply(self, args);
        });
    };

    Socket.prototype.onAny = function (fn) {
        this._anyListeners.push(fn);
        return this;
    };

    Socket.prototype.prependAny = function (fn) {
        this._anyListeners.unshift(fn);
        return this;
    };

    Socket.prototype.offAny = function (fn) {
        if (fn === undefined) {
            this._anyListeners = [];
        } else {
            this._anyListeners = this._anyListeners.filter(function (f) {
                return f !== fn;
            });
        }
        return this;
    };

    Socket.prototype.listenersAny = function () {
        return this._anyListeners.slice();
    };

    Socket.prototype._onClose = function (reason) {
        var wasConnected = this.connected;
        this.connected = false;
        this.disconnected = true;
        this.id = undefined;
        this._failPendingAcks();
        if (wasConnected) {
            this.emitLocal('disconnect', reason);
        }
    };

    // Acknowledgements that can fail (timeout/emitWithAck) learn that the connection is gone; others are dropped.
    Socket.prototype._failPendingAcks = function () {
        var self = this;
        Object.keys(this._acks).forEach(function (id) {
            var fn = self._acks[id];
            var buffered = self.sendBuffer.some(function (p) {
                return String(p.id) === id;
            });
            if (buffered) {
                return; // not sent yet: it goes out after the next connect
            }
            delete self._acks[id];
            clearTimeout(self._ackTimers[id]);
            delete self._ackTimers[id];
            if (fn.withError) {
                fn.withError.call(self, new Error('socket has been disconnected'));
            }
        });
    };

    // Stops following the manager's connection; a later connect() starts again.
    Socket.prototype._deactivate = function () {
        this._active = false;
        this._subs.forEach(function (sub) {
            sub[0].off(sub[1], sub[2]);
        });
    };

    // Leaves the namespace for good (no reconnection); closes the connection when no namespace uses it.
    Socket.prototype.disconnect = function () {
        if (this.connected) {
            this.io._send({ type: SIO_DISCONNECT, nsp: this.nsp });
        }
        this._deactivate();
        if (this.connected) {
            this._onClose('io client disconnect');
        }
        this.io._socketStopped();
        return this;
    };
    Socket.prototype.close = Socket.prototype.disconnect;

    // ---------------------------------------------------------------- io()

    var managers = {};

    function io(uri, opts) {
        if (typeof uri === 'object' && uri !== null) {
            opts = uri;
            uri = undefined;
        }
        opts = opts || {};
        var base = typeof location !== 'undefined' ? location.href : 'http://localhost/';
        var parsed = new URL(uri === undefined ? '/' : uri, base);
        var nsp = uri === undefined ? '/' : (parsed.pathname || '/');
        var origin = parsed.protocol + '//' + parsed.host;
        var key = origin + '|' + (opts.path || '/socket.io');
        var manager;
        var shared = opts.forceNew !== true && opts.multiplex !== false;
        if (shared && managers[key] && !managers[key].nsps[nsp]) {
            manager = managers[key]; // one connection carries every namespace of a server
        } else {
            manager = new Manager(origin, opts);
            if (shared && !managers[key]) {
                managers[key] = manager;
            }
        }
        var socket = manager.socket(nsp, opts);
        if (opts.autoConnect !== false) {
            socket.connect();
        }
        return socket;
    }

    io.protocol = 5;
    io.Manager = Manager;
    Manager.backoffDelay = backoffDelay;   // not in socket.io's API: for the project's own checks of the formula
    io.Socket = Socket;
    io.io = io;
    io.connect = io;

    global.io = io;
    if (typeof module === 'object' && module.exports) {
        module.exports = io;
    }
})(typeof window !== 'undefined' ? window : this);
