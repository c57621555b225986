package relaylab.grader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PairingTest {
    private static List<String> compare(String exercise, String solution) {
        return Pairing.compare(exercise.getBytes(StandardCharsets.UTF_8), solution.getBytes(StandardCharsets.UTF_8),
                "lessons/x/A.java", "solutions/x/A.java", true);
    }

    @Test
    @DisplayName("a difference inside a TODO region is accepted")
    void todoRegionAccepted() {
        String exercise = "class A {\n  int f() {\n    // TODO 1: return 42 (task 1)\n    throw new UnsupportedOperationException(\"TODO 1\");\n  }\n}\n";
        String solution = "class A {\n  int f() {\n    return 42;\n  }\n}\n";
        assertThat(compare(exercise, solution)).isEmpty();
    }

    @Test
    @DisplayName("a difference outside any TODO region is reported with file and line")
    void differenceOutsideTodoRejected() {
        String exercise = "class A {\n  int f() {\n    return 1;\n  }\n}\n";
        String solution = "class A {\n  int f() {\n    return 2;\n  }\n}\n";
        assertThat(compare(exercise, solution)).singleElement().asString()
                .contains("lessons/x/A.java:3").contains("outside a TODO region");
    }

    @Test
    @DisplayName("a line added in the solution far from any TODO is reported")
    void insertionOutsideTodoRejected() {
        String exercise = "a\n// TODO 1: x\nstub\nb\nc\nd\ne\nf\n";
        String solution = "a\ndone\nb\nc\nd\ne\nextra\nf\n";
        assertThat(compare(exercise, solution)).singleElement().asString().contains("solutions/x/A.java:7");
    }

    @Test
    @DisplayName("a TODO marker left in a solution is reported")
    void todoInSolutionRejected() {
        assertThat(compare("// TODO 1: x\n", "// TODO 1: x\n")).singleElement().asString().contains("still holds a TODO marker");
    }

    @Test
    @DisplayName("binary files must be identical")
    void binaryMustBeEqual() {
        assertThat(Pairing.compare(new byte[] {1, 2}, new byte[] {1, 3}, "e.png", "s.png", false)).hasSize(1);
        assertThat(Pairing.compare(new byte[] {1, 2}, new byte[] {1, 2}, "e.png", "s.png", false)).isEmpty();
    }

    @Test
    @DisplayName("tasks 1..k done: later tasks' regions are put back, a region shared with task k stays done")
    void tasksInOrder() {
        String exercise = "a\n// TODO 1: one\nstub1\nb\nc\nd\ne\n// TODO 2: two\nstub2\nx\n// TODO 3: three\nstub3\nf\ng\nh\ni\n"
                + "// TODO 4: four\nstub4\nj\n";
        String solution = "a\ndone1\nb\nc\nd\ne\ndone2\nx\ndone3\nf\ng\nh\ni\ndone4\nj\n";
        String upToTwo = Pairing.withTodosUndone(exercise, solution, number -> number > 2);
        assertThat(upToTwo).contains("done1", "done2", "done3").contains("// TODO 4: four\nstub4")
                .as("TODO 3 shares its region with TODO 2 (one line apart), so it stays done").doesNotContain("stub3");
        assertThat(Pairing.withTodosUndone(exercise, solution, number -> number > 4)).isEqualTo(solution);
        assertThat(Pairing.withTodosUndone(exercise, solution, number -> number > 0)).isEqualTo(exercise);
        assertThat(Pairing.withOnlyTodo(exercise, solution, 3)).as("undoing task 3 alone puts back its whole region")
                .contains("stub2", "stub3", "done1", "done4");
    }
}
