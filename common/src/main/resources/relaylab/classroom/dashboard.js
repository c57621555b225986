'use strict';
// The classroom dashboard: a grid of learners × tasks per lesson, updated live over the workbook's own
// Socket.IO engine. Names and titles are put in the page with textContent only, so HTML in them stays text.
const socket = io('/dashboard');
const learners = new Map();
const pending = [];
let stuckAfter = 10 * 60 * 1000;
let clockOffset = 0;
let scheduled = false;
// what the page measured: for each learner update shown, ms from the learner sending it to the grid showing it
const stats = { updates: 0, delays: [] };
window.classroomStats = stats;
const $ = (id) => document.getElementById(id);

socket.on('connect', () => { $('status').textContent = 'live'; $('status').className = ''; });
socket.on('disconnect', () => { $('status').textContent = 'offline, reconnecting…'; $('status').className = 'offline'; });
socket.on('connect_error', (err) => { $('status').textContent = 'cannot reach the dashboard: ' + err.message; $('status').className = 'offline'; });
socket.on('snapshot', (room) => {
    learners.clear();
    room.learners.forEach((l) => learners.set(l.id, l));
    stuckAfter = room.stuckAfterMillis;
    clockOffset = room.serverNow - Date.now();
    $('join-command').textContent = './jbang grade NN --join ' + room.joinAddress;
    schedule();
});
socket.on('learner', (learner) => {
    learners.set(learner.id, learner);
    pending.push(learner);
    schedule();
});
setInterval(schedule, 5000); // "stuck for" and "ago" move on with the clock

function schedule() {
    if (!scheduled) {
        scheduled = true;
        setTimeout(render, 0);
    }
}

function serverNow() {
    return Date.now() + clockOffset;
}

function minutes(ms) {
    const m = Math.floor(ms / 60000);
    return m < 1 ? Math.max(0, Math.round(ms / 1000)) + ' s' : m + ' min';
}

function cell(tag, text, className) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (className) {
        el.className = className;
    }
    return el;
}

function byLesson() {
    const lessons = new Map();
    for (const learner of learners.values()) {
        for (const result of learner.lessons) {
            if (!lessons.has(result.lesson)) {
                lessons.set(result.lesson, { title: result.title, tasks: new Map(), rows: [] });
            }
            const lesson = lessons.get(result.lesson);
            result.tasks.forEach((t) => lesson.tasks.set(t.number, t.title));
            lesson.rows.push({ learner, result });
        }
    }
    return [...lessons.entries()].sort((a, b) => b[0] - a[0]);
}

function render() {
    scheduled = false;
    const now = serverNow();
    const room = learners.size;
    let stuckCount = 0;
    const sections = [];
    for (const [number, lesson] of byLesson()) {
        const tasks = [...lesson.tasks.keys()].sort((a, b) => a - b);
        const section = document.createElement('section');
        section.dataset.lesson = number;
        section.append(cell('h2', 'Lesson ' + String(number).padStart(2, '0') + (lesson.title ? ' · ' + lesson.title : '')));
        const table = document.createElement('table');
        const head = table.createTHead().insertRow();
        head.append(cell('th', 'Learner', 'name'));
        tasks.forEach((t) => { const th = cell('th', String(t)); th.title = lesson.tasks.get(t) || ''; head.append(th); });
        head.append(cell('th', ''));
        const body = table.createTBody();
        const passedBy = new Map(tasks.map((t) => [t, 0]));
        lesson.rows.sort((a, b) => a.learner.name.localeCompare(b.learner.name));
        for (const { learner, result } of lesson.rows) {
            const row = body.insertRow();
            row.dataset.learner = learner.id;
            row.append(cell('td', learner.name, 'name'));
            const status = new Map(result.tasks.map((t) => [t.number, t.status]));
            const stuck = result.failingSince != null && now - result.failingSince > stuckAfter;
            for (const t of tasks) {
                const s = status.get(t);
                const td = s === 'passed' ? cell('td', '✔', 'passed') : s === 'failed' ? cell('td', '✘', 'failed')
                    : cell('td', '–', 'none');
                td.title = s || 'no result';
                td.dataset.task = t;
                if (stuck && t === result.firstFailing) {
                    td.classList.add('stuck');
                }
                if (s === 'passed') {
                    passedBy.set(t, passedBy.get(t) + 1);
                }
                row.append(td);
            }
            let note = result.compiled ? '' : 'does not compile · ';
            if (stuck) {
                row.className = 'stuck';
                stuckCount++;
                note += 'stuck on task ' + result.firstFailing + ' for ' + minutes(now - result.failingSince);
            } else {
                note += now - result.gradedAt < 10000 ? 'graded just now' : 'graded ' + minutes(now - result.gradedAt) + ' ago';
            }
            row.append(cell('td', note, 'note'));
        }
        const foot = table.createTFoot().insertRow();
        foot.append(cell('td', 'past each task', 'name'));
        for (const t of tasks) {
            const td = cell('td', Math.round(100 * passedBy.get(t) / Math.max(room, 1)) + '% (' + passedBy.get(t) + '/' + room + ')');
            td.dataset.task = t;
            foot.append(td);
        }
        foot.append(cell('td', ''));
        section.append(table);
        sections.push(section);
    }
    $('lessons').replaceChildren(...sections);
    $('summary').textContent = room === 0 ? 'No one has joined yet.'
        : room + (room === 1 ? ' learner' : ' learners') + ' in the room' + (stuckCount ? ', ' + stuckCount + ' stuck' : '');
    const shown = Date.now();
    for (const learner of pending.splice(0)) {
        const latest = learner.lessons.reduce((a, b) => (b.gradedAt > (a ? a.gradedAt : -1) ? b : a), null);
        if (latest && latest.sentAt > 0) {
            stats.delays.push(shown - latest.sentAt);
            if (stats.delays.length > 10000) {
                stats.delays.shift();
            }
        }
        stats.updates++;
    }
}
