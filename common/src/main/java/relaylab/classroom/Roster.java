package relaylab.classroom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The room as the dashboard knows it: every learner who joined, and their latest result per lesson. It also
 * keeps, per learner and lesson, since when the same task has been the first failing one, so the page can
 * tell who is stuck. Thread-safe; times come from the dashboard's clock.
 */
final class Roster {
    static final int MAX_NAME = 40;
    static final int MAX_LEARNERS = 500;

    /** One learner's latest result of one lesson, as the page shows it. */
    record LessonView(int lesson, String title, List<GradeResult.TaskOutcome> tasks, Integer firstFailing,
            Long failingSince, boolean compiled, long gradedAt, long sentAt) {
    }

    /** One learner as the page shows it. */
    record LearnerView(String id, String name, long joinedAt, List<LessonView> lessons) {
    }

    private final LongSupplier clock;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, Long> joined = new LinkedHashMap<>();
    private final Map<String, Map<Integer, LessonView>> results = new LinkedHashMap<>();

    Roster(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * The name as shown: trimmed; refused (with the reason) when empty, longer than {@value #MAX_NAME}
     * characters or holding control characters. HTML is allowed: the page shows names as text.
     */
    static String checkName(Object name) {
        if (!(name instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("a name is needed (grade --join ... --name \"Ada L\")");
        }
        String trimmed = s.strip();
        if (trimmed.length() > MAX_NAME) {
            throw new IllegalArgumentException("the name is longer than " + MAX_NAME + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the name holds control characters");
        }
        return trimmed;
    }

    /** Refuses a learner who is not in the room yet when it holds {@value #MAX_LEARNERS} already. */
    synchronized void checkRoomFor(String id) {
        if (!names.containsKey(id) && names.size() >= MAX_LEARNERS) {
            throw new IllegalArgumentException("the room is full (" + MAX_LEARNERS + " learners)");
        }
    }

    /** Adds a learner (or renames one who joins again); returns how they are shown. */
    synchronized LearnerView join(String id, String name) {
        names.put(id, name);
        joined.putIfAbsent(id, clock.getAsLong());
        results.putIfAbsent(id, new TreeMap<>());
        return view(id);
    }

    /** Records a learner's result; returns the learner as the page now shows them. */
    synchronized LearnerView record(String id, GradeResult result) {
        if (!names.containsKey(id)) {
            throw new IllegalStateException("learner " + id + " has not joined");
        }
        long now = clock.getAsLong();
        Map<Integer, LessonView> lessons = results.get(id);
        LessonView before = lessons.get(result.lesson());
        Long since = null;
        if (result.firstFailing() != null) {
            boolean same = before != null && result.firstFailing().equals(before.firstFailing());
            since = same ? before.failingSince() : now;
        }
        lessons.put(result.lesson(), new LessonView(result.lesson(), result.title(), result.tasks(), result.firstFailing(),
                since, result.compiled(), now, result.sentAt()));
        return view(id);
    }

    /** Every learner, in the order they joined. */
    synchronized List<LearnerView> learners() {
        List<LearnerView> all = new ArrayList<>();
        names.keySet().forEach(id -> all.add(view(id)));
        return all;
    }

    synchronized int size() {
        return names.size();
    }

    private LearnerView view(String id) {
        return new LearnerView(id, names.get(id), joined.get(id), List.copyOf(results.get(id).values()));
    }
}
