// The page of the secure chat. No inline script: the Content-Security-Policy of task 6 allows scripts from
// this origin's files only.
const status = document.getElementById('status');
const messages = document.getElementById('messages');
const notice = document.getElementById('notice');

function cookieToken() {
  const found = document.cookie.split('; ').find(c => c.startsWith('token='));
  return found ? found.substring('token='.length) : null;
}

function formatTime(iso) {
  return new Date(iso).toLocaleTimeString();
}

// Adds one message to the list. Whatever the sender typed must stay text: never let it become HTML.
function renderMessage(msg) {
  const item = document.createElement('li');
  item.className = 'message';
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = msg.user;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = String(msg.text);
  const time = document.createElement('time');
  time.textContent = formatTime(msg.time);
  item.append(author, text, time);
  messages.append(item);
}

let loginSocket = null;
let chatSocket = null;

function showLogin(reason) {
  status.textContent = reason || 'not logged in';
  document.getElementById('login').hidden = false;
}

document.getElementById('login').addEventListener('submit', event => {
  event.preventDefault();
  loginSocket = loginSocket || io('/login', { forceNew: true });
  loginSocket.emit('login', document.getElementById('username').value, answer => {
    if (!answer.ok) {
      document.getElementById('login-error').textContent = answer.error;
      return;
    }
    const secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = 'token=' + answer.token + '; path=/; SameSite=Strict' + secure;
    loginSocket.disconnect();
    loginSocket = null;
    document.getElementById('login').hidden = true;
    document.getElementById('login-error').textContent = '';
    showChat();
  });
});

function showChat() {
  // A new connection (forceNew), so that the token cookie rides along on its WebSocket handshake.
  const socket = chatSocket = io({ forceNew: true });
  socket.on('connect', () => { document.getElementById('chat').hidden = false; });
  socket.on('welcome', user => { status.textContent = 'connected as ' + user; });
  socket.on('connect_error', err => {
    socket.close();
    document.getElementById('chat').hidden = true;
    showLogin('refused: ' + err.message);
  });
  socket.on('receiveMessage', renderMessage);
  socket.on('refused', refusal => { notice.textContent = 'refused: ' + refusal.reason; });
  socket.on('sessionEnded', reason => {
    status.textContent = 'session ended: ' + reason + '; log in again';
    document.cookie = 'token=; path=/; max-age=0';
  });
  socket.on('disconnect', reason => {
    if (!status.textContent.startsWith('session ended')) {
      status.textContent = 'disconnected: ' + reason;
    }
  });
}

document.getElementById('send-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('message');
  chatSocket.emit('sendMessage', input.value);
  input.value = '';
});

document.getElementById('logout').addEventListener('click', () => {
  document.cookie = 'token=; path=/; max-age=0';
  chatSocket.close();
  document.getElementById('chat').hidden = true;
  showLogin();
});

if (cookieToken()) {
  showChat();
} else {
  showLogin();
}
