package relaylab.grader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a lesson's code is busy, read from a few thread dumps of the tests' JVM taken a moment apart:
 * in the thread running the learner's code, the outermost of the learner's frames that stayed on the
 * stack in every dump. That is the method holding the loop (emit), not whatever it happened to call
 * at one instant (a listener). Tells a learner which loop never ends.
 *
 * @param frame   the learner's frame, or null when no thread is in the learner's code
 * @param running true when that frame's thread was running, false when it waited (a lock, a sleep, a queue)
 * @param waiting the test's own frame when no learner frame was found (what the test waited for)
 */
record Busy(StackTraceElement frame, boolean running, StackTraceElement waiting) {
    private static final int DUMPS = 4;
    private static final long DUMP_GAP_MILLIS = 50;

    static Busy find(Set<String> learnerFiles) {
        Map<Thread, StackTraceElement[]> dump = Thread.getAllStackTraces();
        Thread busy = null;
        StackTraceElement blocked = null;
        StackTraceElement testFrame = null;
        for (Map.Entry<Thread, StackTraceElement[]> thread : dump.entrySet()) {
            if (thread.getKey() == Thread.currentThread()) {
                continue;
            }
            StackTraceElement mine = first(thread.getValue(), learnerFiles);
            if (mine != null && thread.getKey().getState() == Thread.State.RUNNABLE) {
                busy = thread.getKey();
                break;
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
        if (busy != null) {
            return new Busy(steady(busy, dump.get(busy), learnerFiles), true, null);
        }
        return new Busy(blocked, false, blocked == null ? testFrame : null);
    }

    /**
     * The outermost learner frame that stays on the thread's stack, at the same depth, in a few dumps a
     * moment apart: the learner's method the thread never leaves (emit, whose loop calls deliver and
     * the listeners), at the line of the loop's current call.
     */
    private static StackTraceElement steady(Thread thread, StackTraceElement[] firstDump, Set<String> learnerFiles) {
        List<StackTraceElement[]> dumps = new ArrayList<>();
        dumps.add(firstDump);
        for (int i = 1; i < DUMPS; i++) {
            try {
                Thread.sleep(DUMP_GAP_MILLIS); // the gap between thread dumps, so a moving loop shows its fixed part
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            StackTraceElement[] stack = thread.getStackTrace();
            if (stack.length > 0) {
                dumps.add(stack);
            }
        }
        StackTraceElement[] last = dumps.get(dumps.size() - 1);
        // walk from the bottom of the stacks (the thread's start) up, as long as every dump agrees on the method
        for (int depth = 1; depth <= last.length; depth++) {
            StackTraceElement frame = last[last.length - depth];
            boolean same = true;
            for (StackTraceElement[] stack : dumps) {
                same &= stack.length >= depth && sameMethod(stack[stack.length - depth], frame);
            }
            if (!same) {
                break;
            }
            if (learnerFiles.contains(frame.getFileName())) {
                return frame;
            }
        }
        return first(last, learnerFiles);
    }

    private static boolean sameMethod(StackTraceElement a, StackTraceElement b) {
        return a.getClassName().equals(b.getClassName()) && a.getMethodName().equals(b.getMethodName());
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
