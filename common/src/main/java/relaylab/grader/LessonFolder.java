package relaylab.grader;

import java.nio.file.Path;

/**
 * One lesson on disk: {@code lessons/NN-slug} (the exercise and its tests) and
 * {@code solutions/NN-slug} (the finished files).
 *
 * @param number   the NN of the folder name
 * @param name     the folder name, e.g. "01-events"
 * @param exercise the exercise folder
 * @param solution the solution folder
 */
public record LessonFolder(int number, String name, Path exercise, Path solution) implements Comparable<LessonFolder> {

    /** Which copy of a lesson to grade. */
    public enum Variant {
        /** The learner's files in lessons/. */
        EXERCISE,
        /** The finished files in solutions/, with the tests of lessons/. */
        SOLUTION
    }

    /** The folder holding the non-test files of this variant. */
    public Path folder(Variant variant) {
        return variant == Variant.SOLUTION ? solution : exercise;
    }

    /** "lesson 01 (01-events)", for messages. */
    public String label() {
        return String.format("lesson %02d (%s)", number, name);
    }

    @Override
    public int compareTo(LessonFolder other) {
        return Integer.compare(number, other.number);
    }
}
