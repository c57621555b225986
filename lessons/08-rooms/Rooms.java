///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//SOURCES RoomsBots.java RoomsEvents.java

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import relaylab.realtime.Namespace;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.RealtimeSocket;
import relaylab.realtime.TodoRecorder;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 08: rooms and namespaces: one room at a time, whispers to one socket, /admin announcements, cleanup.
 * Given beside it: RoomsEvents.java (what travels, input checks, the page), RoomsBots.java (the demo).
 */
@Lesson(number = 8, title = "Rooms", summary = "Rooms and namespaces: join and leave, talk to one room, whisper to one"
        + " socket, announce from /admin to all but one room, clean up on disconnect.")
public class Rooms {
    static final List<String> ROOMS = List.of("lobby", "games", "library");
    static final String QUIET_ROOM = "library";   // announcements skip it

    final Namespace chat;
    final Map<String, String> users = new ConcurrentHashMap<>();   // who is online: name to socket id
    /** The first unfinished TODO a handler ran into; its message also answers the sender's ack. */
    final TodoRecorder unfinished = new TodoRecorder(Reply::refused);

    /** Installs the handlers of both namespaces; main and the tests both use it. */
    Rooms(RealtimeServer server) {
        chat = server.of("/");
        server.onHandlerError(unfinished);
        chat.use(RoomsEvents.uniqueName(users, 20));
        chat.on("connection", socket -> {
            socket.on("join", (args, ack) -> {
                String room = RoomsEvents.text(args);
                if (ROOMS.contains(room) && !socket.inRoom(room)) {
                    switchRoom(socket, room);
                }
                ack.send(ROOMS.contains(room) ? Reply.OK : RoomsEvents.noSuchRoom(room, ROOMS));
            });
            socket.on("say", (args, ack) -> {
                String text = RoomsEvents.text(args);
                if (text != null) {
                    say(socket, text);
                }
                ack.send(text != null ? Reply.OK : Reply.refused("Say something: the message is empty."));
            });
            socket.on("whisper", (args, ack) -> {
                Whisper w = RoomsEvents.whisper(args);
                ack.send(w == null ? Reply.refused("A whisper needs {to, text}.") : whisper(socket, w.to(), w.text()));
            });
            socket.onDisconnect(reason -> leave(socket));
            switchRoom(socket, ROOMS.get(0));   // last: the handlers above are in place even if this runs into a TODO
        });
        server.of("/admin").on("connection", socket -> socket.on("announce", (args, ack) -> {
            String text = RoomsEvents.text(args);
            ack.send(text == null ? Reply.refused("An announcement needs some text.") : new Reply(true, null, announce(text)));
        }));
    }

    @Task(number = 1, title = "Move a socket from room to room",
            hint = "Put the new room in socket.data() under \"room\" (put returns the old one; room(socket) reads it). Leave the old"
                    + " room and tell it \"left\"; join the new room and tell it \"joined\" (socket.to(room) reaches the"
                    + " others); tell the mover \"room\" with socket.emit. Each carries new Presence(room, name, members(room)).")
    void switchRoom(RealtimeSocket socket, String room) {
        // TODO 1: store the room, leave the old one (tell it "left"), join the new one ("joined"), tell the mover "room" (task 1)
        throw new UnsupportedOperationException("TODO 1: move the socket to the room");
    }

    @Task(number = 2, title = "Talk to your room only",
            hint = "Send new Message(room(socket), name(socket), text) to every socket in the sender's room, the sender included:"
                    + " chat.to(room).emit(...). socket.to(room) would skip the sender; chat.emit would reach every room.")
    void say(RealtimeSocket socket, String text) {
        // TODO 2: send a Message to everyone in the sender's room, the sender too, and to nobody else (task 2)
        throw new UnsupportedOperationException("TODO 2: say it to the room");
    }

    @Task(number = 3, title = "Whisper to one socket",
            hint = "Find the socket id of the name in users; none means Reply.refused(a sentence naming who). Every socket"
                    + " is in a room named by its id: chat.to(id).emit(\"whisper\", new Whisper(...)) reaches that socket alone.")
    Reply whisper(RealtimeSocket socket, String to, String text) {
        // TODO 3: find the socket of the name `to` (or refuse), send it alone a Whisper, answer Reply.OK (task 3)
        throw new UnsupportedOperationException("TODO 3: whisper to one socket");
    }

    @Task(number = 4, title = "Announce from /admin to every room but the quiet one",
            hint = "This runs on /admin, but the listeners are on \"/\": emit through chat, to all but the QUIET_ROOM:"
                    + " chat.except(QUIET_ROOM).emit(\"announcement\", text). emit returns how many sockets it reached: return that.")
    int announce(String text) {
        // TODO 4: send "announcement" to every chat socket except those in the QUIET_ROOM; return how many (task 4)
        throw new UnsupportedOperationException("TODO 4: announce to the chat");
    }

    @Task(number = 5, title = "Clean up when a socket disconnects",
            hint = "The core already took the socket out of its rooms; what this lesson remembers is yours to forget:"
                    + " users.remove(name, socket.id()). Then tell its last room (room(socket)) \"left\" with a Presence.")
    void leave(RealtimeSocket socket) {
        // TODO 5: forget the socket's name in users, then tell its last room "left" with a Presence (task 5)
        throw new UnsupportedOperationException("TODO 5: clean up after the socket");
    }

    // given: the socket's name (from the middleware) and room (as switchRoom stored it; null before); a room's members
    static String name(RealtimeSocket socket) {
        return RoomsEvents.name(socket);
    }

    static String room(RealtimeSocket socket) {
        return (String) socket.data().get("room");
    }

    List<String> members(String room) {
        return chat.to(room).sockets().stream().map(Rooms::name).sorted().toList();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RoomsBots.Main()).execute(args));
    }
}
