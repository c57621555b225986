package relaylab.grader;

import java.util.Map;
import java.util.Set;

/**
 * Where a lesson's code is busy, read from a thread dump of the tests' JVM: the first frame in one
 * of the learner's files, preferring running threads. Tells a learner which loop never ends.
 *
 * @param frame   the learner's frame, or null when no thread is in the learner's code
 * @param running true when that frame's thread was running, false when it waited (a lock, a sleep, a queue)
 * @param waiting the test's own frame when no learner frame was found (what the test waited for)
 */
record Busy(StackTraceElement frame, boolean running, StackTraceElement waiting) {

    static Busy find(Set<String> learnerFiles) {
        Map<Thread, StackTraceElement[]> dump = Thread.getAllStackTraces();
        StackTraceElement blocked = null;
        StackTraceElement testFrame = null;
        for (Map.Entry<Thread, StackTraceElement[]> thread : dump.entrySet()) {
            if (thread.getKey() == Thread.currentThread()) {
                continue;
            }
            StackTraceElement mine = first(thread.getValue(), learnerFiles);
            if (mine != null && thread.getKey().getState() == Thread.State.RUNNABLE) {
                return new Busy(mine, true, null);
            }
            if (mine != null && blocked == null) {
                blocked = mine;
            }
            for (StackTraceElement frame : thread.getValue()) {
                String file = frame.getFileName();
                if (testFrame == null && file != null && file.endsWith("Test.java")) {
                    testFrame = frame;
                }
            }
        }
        return new Busy(blocked, false, blocked == null ? testFrame : null);
    }

    /** Where System.exit was called: the learner's (or test's) frame of the thread inside Runtime.exit. */
    static String exitCaller(Set<String> learnerFiles) {
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            boolean exiting = false;
            for (StackTraceElement frame : stack) {
                exiting |= (frame.getClassName().equals("java.lang.Runtime") || frame.getClassName().equals("java.lang.System"))
                        && frame.getMethodName().equals("exit");
                String file = frame.getFileName();
                if (exiting && file != null && (learnerFiles.contains(file) || file.endsWith("Test.java"))) {
                    return describe(frame);
                }
            }
        }
        return null;
    }

    static StackTraceElement first(StackTraceElement[] stack, Set<String> learnerFiles) {
        for (StackTraceElement frame : stack) {
            if (learnerFiles.contains(frame.getFileName())) {
                return frame;
            }
        }
        return null;
    }

    /** "it was busy in EventEmitter.emit (Events.java:61)", "it was waiting in …", or what the test waited for. */
    String describe() {
        if (frame != null) {
            return (running ? "it was busy in " : "it was waiting in ") + describe(frame);
        }
        if (waiting != null) {
            return "it was waiting in " + describe(waiting) + ", and none of the lesson's code was running";
        }
        return "none of the lesson's code was running";
    }

    /** The method where the code loops, to recognise the same loop in the next test; null when unknown. */
    String key() {
        return frame == null || !running ? null : frame.getClassName() + "." + frame.getMethodName();
    }

    static String describe(StackTraceElement frame) {
        String type = frame.getClassName();
        type = type.substring(type.lastIndexOf('.') + 1);
        type = type.substring(type.lastIndexOf('$') + 1);
        return type + "." + frame.getMethodName() + " (" + frame.getFileName() + ":" + frame.getLineNumber() + ")";
    }
}
