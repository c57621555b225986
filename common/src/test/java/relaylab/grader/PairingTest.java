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
}
