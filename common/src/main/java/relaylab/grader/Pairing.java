package relaylab.grader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import relaylab.workbook.Todo;

/**
 * Checks that a solution is its exercise with the TODOs done: every line that differs between
 * {@code lessons/NN-slug/F} and {@code solutions/NN-slug/F} must lie in a changed region whose
 * exercise side holds a numbered {@code TODO k} line, and solutions hold no such markers. Run by
 * the build for every lesson, so {@code diff} always shows exactly what a learner has to write.
 */
public final class Pairing {
    /** A numbered TODO marker, as in "// TODO 2: join the room (task 2)" (the workbook's convention). */
    static final Pattern TODO = Todo.MARKER;
    /** Changed regions at most this many equal lines apart count as one (a lone "}" may match inside a rewrite). */
    private static final int MERGE_GAP = 3;
    private static final Set<String> TEXT = Set.of("java", "html", "js", "css", "json", "md", "txt", "properties", "xml", "svg");

    private Pairing() {
    }

    /** Returns every pairing problem of one lesson, each naming the file and line; empty when paired. */
    public static List<String> check(LessonFolder lesson, Path root) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(lesson.solution())) {
            problems.add(root.relativize(lesson.solution()) + " is missing");
            return problems;
        }
        for (Path exercise : files(lesson.exercise())) {
            String name = lesson.exercise().relativize(exercise).toString();
            boolean lessonOnly = name.endsWith("Test.java") || name.equals("README.md") || name.endsWith(".png");
            if (!lessonOnly && !Files.exists(lesson.solution().resolve(name))) {
                problems.add(root.relativize(lesson.solution().resolve(name)) + " is missing (every exercise file needs its finished copy)");
            }
        }
        for (Path solution : files(lesson.solution())) {
            String name = lesson.solution().relativize(solution).toString();
            Path exercise = lesson.exercise().resolve(name);
            if (!Files.exists(exercise)) {
                problems.add(root.relativize(solution) + " has no exercise counterpart " + root.relativize(exercise));
            } else if (name.endsWith("Test.java")) {
                problems.add(root.relativize(solution) + ": tests live only in " + root.relativize(lesson.exercise()));
            } else {
                problems.addAll(compare(read(exercise), read(solution), root.relativize(exercise).toString(),
                        root.relativize(solution).toString(), isText(name)));
            }
        }
        return problems;
    }

    /**
     * Compares one exercise file with its solution.
     *
     * @param text false for binary files, which must be identical
     */
    static List<String> compare(byte[] exercise, byte[] solution, String exerciseName, String solutionName, boolean text) {
        if (!text) {
            return Arrays.equals(exercise, solution) ? List.of()
                    : List.of(solutionName + " differs from " + exerciseName + " (binary files must be identical)");
        }
        List<String> ex = new String(exercise, StandardCharsets.UTF_8).lines().toList();
        List<String> so = new String(solution, StandardCharsets.UTF_8).lines().toList();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < so.size(); i++) {
            if (TODO.matcher(so.get(i)).find()) {
                problems.add(solutionName + ":" + (i + 1) + " still holds a TODO marker: " + so.get(i).strip());
            }
        }
        for (int[] hunk : hunks(ex, so)) {
            boolean marked = false;
            for (int i = hunk[0]; i < hunk[1]; i++) {
                marked |= TODO.matcher(ex.get(i)).find();
            }
            if (!marked) {
                String where = hunk[0] < hunk[1] ? exerciseName + ":" + (hunk[0] + 1) + " \"" + ex.get(hunk[0]).strip() + "\""
                        : solutionName + ":" + (hunk[2] + 1) + " \"" + so.get(hunk[2]).strip() + "\"";
                problems.add(where + ": exercise and solution differ outside a TODO region"
                        + " (lines " + (hunk[0] + 1) + "–" + hunk[1] + " of the exercise, " + (hunk[2] + 1) + "–" + hunk[3]
                        + " of the solution); put a \"// TODO k:\" line in the exercise's changed lines or make them equal");
            }
        }
        return problems;
    }

    /**
     * The changed regions of a line diff (longest common subsequence), as {exerciseFrom, exerciseTo,
     * solutionFrom, solutionTo} with exclusive ends; regions close together are merged.
     */
    static List<int[]> hunks(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<int[]> hunks = new ArrayList<>();
        int i = 0;
        int j = 0;
        int[] open = null;
        int equalRun = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                i++;
                j++;
                equalRun++;
                if (open != null && equalRun > MERGE_GAP) {
                    hunks.add(open);
                    open = null;
                }
                continue;
            }
            if (open == null) {
                open = new int[] {i, i, j, j};
            }
            equalRun = 0;
            if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                j++;
            } else {
                i++;
            }
            open[1] = i;
            open[3] = j;
        }
        if (open != null) {
            hunks.add(open);
        }
        return hunks;
    }

    /**
     * The solution with only task {@code task}'s TODO regions put back as in the exercise: what a
     * learner has when every other task is done. The build grades it to prove that task's tests
     * fail without that task's code.
     */
    public static String withOnlyTodo(String exercise, String solution, int task) {
        return rebuild(exercise, solution, markers -> markers.contains(task));
    }

    /**
     * The solution with the TODO regions put back whose every task {@code undone} accepts. With
     * {@code number -> number > k}: what a learner has after doing tasks 1..k in order, which the build
     * grades to prove that task k passes without any later task. A region shared by task k and a later
     * one (two TODOs a few lines apart) stays done, so task k is never undone by its neighbour.
     */
    public static String withTodosUndone(String exercise, String solution, java.util.function.IntPredicate undone) {
        return rebuild(exercise, solution, markers -> !markers.isEmpty() && markers.stream().allMatch(undone::test));
    }

    /** The solution with the changed regions put back as in the exercise whose TODO numbers {@code revert} accepts. */
    private static String rebuild(String exercise, String solution, java.util.function.Predicate<List<Integer>> revert) {
        List<String> ex = exercise.lines().toList();
        List<String> so = solution.lines().toList();
        Pattern marker = Todo.MARKER;
        StringBuilder out = new StringBuilder();
        int i = 0;
        int j = 0;
        for (int[] hunk : hunks(ex, so)) {
            while (i < hunk[0]) {
                out.append(ex.get(i++)).append('\n');
                j++;
            }
            List<Integer> markers = new ArrayList<>();
            for (String line : ex.subList(hunk[0], hunk[1])) {
                java.util.regex.Matcher m = marker.matcher(line);
                while (m.find()) {
                    markers.add(Integer.parseInt(m.group(1)));
                }
            }
            List<String> chosen = revert.test(markers) ? ex.subList(hunk[0], hunk[1]) : so.subList(hunk[2], hunk[3]);
            chosen.forEach(line -> out.append(line).append('\n'));
            i = hunk[1];
            j = hunk[3];
        }
        while (i < ex.size()) {
            out.append(ex.get(i++)).append('\n');
        }
        return out.toString();
    }

    /** True for the files compared line by line (and rebuilt by {@link #withOnlyTodo}). */
    public static boolean isText(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && TEXT.contains(name.substring(dot + 1));
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
