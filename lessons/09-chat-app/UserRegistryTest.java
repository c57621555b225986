import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("task:1")
class UserRegistryTest {
    private final UserRegistry users = new UserRegistry();

    @Test
    @DisplayName("register() accepts a free name, trimmed, and remembers it for the socket")
    void acceptsAndTrims() {
        UserRegistry.Registration registration = users.register("socket-1", "  ada ");
        assertThat(registration).as("register(\"socket-1\", \"  ada \")")
                .isEqualTo(UserRegistry.Registration.accepted("ada"));
        assertThat(users.nameOf("socket-1")).as("nameOf(\"socket-1\") after registering").isEqualTo("ada");
        assertThat(users.online()).as("online() after one registration").containsExactly("ada");
    }

    @Test
    @DisplayName("register() refuses an empty or blank name and says so")
    void refusesEmpty() {
        for (String empty : new String[] {null, "", "   "}) {
            UserRegistry.Registration registration = users.register("socket-1", empty);
            assertThat(registration.ok()).as("ok for the name " + quoted(empty)).isFalse();
            assertThat(registration.error()).as("the error for the name " + quoted(empty)).containsIgnoringCase("empty");
        }
        assertThat(users.online()).as("online() after refused names").isEmpty();
    }

    @Test
    @DisplayName("register() accepts 20 characters and refuses 21, saying what the limit is")
    void refusesTooLong() {
        assertThat(users.register("socket-1", "a".repeat(UserRegistry.MAX_LENGTH)).ok())
                .as("ok for a name of exactly " + UserRegistry.MAX_LENGTH + " characters").isTrue();
        UserRegistry.Registration tooLong = users.register("socket-2", "b".repeat(UserRegistry.MAX_LENGTH + 1));
        assertThat(tooLong.ok()).as("ok for a name of " + (UserRegistry.MAX_LENGTH + 1) + " characters").isFalse();
        assertThat(tooLong.error()).as("the error for a name that is too long")
                .contains(String.valueOf(UserRegistry.MAX_LENGTH));
    }

    @Test
    @DisplayName("register() refuses a name another socket holds, even written in other case")
    void refusesTaken() {
        users.register("socket-1", "Ada");
        UserRegistry.Registration second = users.register("socket-2", "ADA");
        assertThat(second.ok()).as("ok when \"ADA\" registers while \"Ada\" is online").isFalse();
        assertThat(second.error()).as("the error for a taken name").containsIgnoringCase("taken");
        assertThat(users.nameOf("socket-2")).as("nameOf(\"socket-2\") after the refusal").isNull();
    }

    @Test
    @DisplayName("a socket keeps its first name: a second register() is refused")
    void oneNamePerSocket() {
        users.register("socket-1", "ada");
        assertThat(users.register("socket-1", "grace").ok()).as("ok for a second name on the same socket").isFalse();
        assertThat(users.online()).as("online() after the second attempt").containsExactly("ada");
    }

    @Test
    @DisplayName("a name is free again once its socket unregistered")
    void unregisterFreesTheName() {
        users.register("socket-1", "ada");
        users.unregister("socket-1");
        assertThat(users.register("socket-2", "ada").ok()).as("ok for \"ada\" after the first ada left").isTrue();
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
