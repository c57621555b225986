package relaylab.workbook;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

class TodoTest {
    @Test
    @DisplayName("a stub's message gives its task number; other messages give none")
    void numbers() {
        assertThat(Todo.number("TODO 3: join the room")).isEqualTo(3);
        assertThat(Todo.number(Todo.message(12, "send it"))).isEqualTo(12);
        assertThat(Todo.number("TODO: no number")).isNull();
        assertThat(Todo.number("see TODO 3")).as("not at the start").isNull();
        assertThat(Todo.number(null)).isNull();
        assertThat(Tasks.todoNumber("TODO 4: x")).as("Tasks reads the same convention").isEqualTo(4);
    }

    @Test
    @DisplayName("a stub is an UnsupportedOperationException whose message starts with TODO and a number")
    void stubs() {
        assertThat(Todo.isStub(new UnsupportedOperationException("TODO 2: write it"))).isTrue();
        assertThat(Todo.isStub(new UnsupportedOperationException("not supported"))).isFalse();
        assertThat(Todo.isStub(new IllegalStateException("TODO 2: write it"))).isFalse();
        assertThat(Todo.isStub(new UnsupportedOperationException((String) null))).isFalse();
    }

    @Test
    @DisplayName("markers: any numbered TODO in a line, or one task's TODO and not another that starts alike")
    void markers() {
        Matcher m = Todo.MARKER.matcher("        // TODO 2: join the room (task 2)");
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("2");
        assertThat(Todo.MARKER.matcher("// TODO: later").find()).isFalse();
        assertThat(Todo.marker(3).matcher("// TODO 3: x").find()).isTrue();
        assertThat(Todo.marker(3).matcher("// TODO 31: x").find()).isFalse();
        Matcher quoted = Todo.QUOTED_STUB.matcher("expected 2 but java.lang.UnsupportedOperationException: TODO 5: count\n  at X");
        assertThat(quoted.find()).isTrue();
        assertThat(quoted.group(1)).isEqualTo("TODO 5: count");
    }
}
