package relaylab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lessons 11 and 12 must find one data folder whichever folder they are started from. */
class LessonDataTest {
    @TempDir
    Path temp;

    private Path workbook(String name) throws IOException {
        Path root = Files.createDirectories(temp.resolve(name));
        Files.createDirectories(root.resolve("lessons").resolve("12-backup"));
        Files.writeString(root.resolve("jbang-catalog.json"), "{\"aliases\": {}}");
        return root;
    }

    private Path home(Path... registered) throws IOException {
        Path home = Files.createDirectories(temp.resolve("home"));
        StringBuilder json = new StringBuilder("{\"catalogs\": {");
        for (int i = 0; i < registered.length; i++) {
            json.append(i == 0 ? "" : ",").append("\"c").append(i).append("\": {\"catalog-ref\": \"")
                    .append(registered[i].resolve("jbang-catalog.json")).append("\"}");
        }
        Files.createDirectories(home.resolve(".jbang"));
        Files.writeString(home.resolve(".jbang").resolve("jbang-catalog.json"), json.append("}}"));
        return home;
    }

    @Test
    @DisplayName("started in a lesson's folder, the data folder is the workbook's top folder's, as when started at the top")
    void fromASubfolder() throws IOException {
        Path root = workbook("relay-lab");
        Path home = home();
        assertThat(LessonData.root(root.resolve("lessons").resolve("12-backup"), null, home)).isEqualTo(root);
        assertThat(LessonData.root(root, null, home)).isEqualTo(root);
    }

    @Test
    @DisplayName("started outside the workbook (lesson12@workshop), the workbook registered with JBang is used; none or two: null")
    void fromOutsideThroughTheCatalog() throws IOException {
        Path root = workbook("relay-lab");
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        assertThat(LessonData.root(elsewhere, null, home(root))).isEqualTo(root);
        assertThat(LessonData.root(elsewhere, null, home(root, workbook("second")))).isNull();
        assertThat(LessonData.root(elsewhere, null, home())).isNull();
    }

    @Test
    @DisplayName("RELAYLAB_HOME wins; one that is not a workbook is refused with a sentence naming it")
    void configured() throws IOException {
        Path root = workbook("relay-lab");
        Path other = workbook("other");
        assertThat(LessonData.root(other, root.toString(), home())).isEqualTo(root);
        assertThatThrownBy(() -> LessonData.root(other, temp.toString(), home()))
                .hasMessageContaining(temp.toString()).hasMessageContaining("not a Relay Lab folder");
    }

    @Test
    @DisplayName("lesson 11's Redis data is redis/lesson11/ in the data folder")
    void lesson11() {
        assertThat(LessonData.lesson11Redis(temp.resolve(".relaylab"))).isEqualTo(temp.resolve(".relaylab/redis/lesson11"));
    }
}
