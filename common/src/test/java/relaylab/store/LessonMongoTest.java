package relaylab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonMongoTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("the embedded server listens on loopback and the official driver reads back what it wrote")
    void embeddedInMemory() {
        try (LessonMongo mongo = LessonMongo.start(null, null)) {
            assertThat(mongo.embedded()).isTrue();
            assertThat(mongo.uri()).startsWith("mongodb://127.0.0.1:");
            assertThat(mongo.describe()).contains("in memory");
            MongoCollection<Document> c = mongo.database("t").getCollection("c");
            c.insertOne(new Document("_id", "1-0").append("text", "hi"));
            assertThat(c.find().first()).containsEntry("text", "hi");
        }
    }

    @Test
    @DisplayName("with a folder, the data survives closing and starting again, and survives a stopped server")
    void h2Survives() {
        try (LessonMongo mongo = LessonMongo.start(null, dir)) {
            mongo.database("t").getCollection("c").insertOne(new Document("_id", "a"));
            mongo.stopServer();
            assertThatThrownBy(() -> mongo.database("t").getCollection("c").countDocuments())
                    .as("a stopped server refuses work").isInstanceOf(MongoException.class);
            mongo.startServer();
            assertThat(mongo.database("t").getCollection("c").countDocuments()).as("after a restart of the server").isEqualTo(1);
        }
        assertThat(dir.resolve(LessonMongo.DATA_FILE)).isRegularFile();
        try (LessonMongo again = LessonMongo.start(null, dir)) {
            assertThat(again.database("t").getCollection("c").countDocuments()).as("after a restart of the lesson").isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a URI is used as given; a malformed one is refused with an example")
    void ownMongo() {
        try (LessonMongo mongo = LessonMongo.start(null, null); LessonMongo own = LessonMongo.start(mongo.uri(), dir)) {
            assertThat(own.embedded()).isFalse();
            assertThat(own.describe()).isEqualTo("MongoDB at " + mongo.uri());
            own.database("t").getCollection("c").insertOne(new Document("_id", 1));
            assertThat(mongo.database("t").getCollection("c").countDocuments()).isEqualTo(1);
            assertThatThrownBy(own::stopServer).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> LessonMongo.start("localhost:27017", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mongodb://host:27017");
    }

    @Test
    @DisplayName("a data file in use by another embedded server is refused with one sentence")
    void dataFileInUse() {
        try (LessonMongo first = LessonMongo.start(null, dir)) {
            assertThatThrownBy(() -> LessonMongo.start(null, dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dir.resolve(LessonMongo.DATA_FILE).toString()).hasMessageContaining("another process uses it");
        }
    }
}
