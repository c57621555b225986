///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS redis.clients:jedis:8.0.2
//DEPS com.github.codemonstur:embedded-redis:1.4.4
//DEPS org.mongodb:mongodb-driver-sync:5.14.0
//DEPS de.bwaldvogel:mongo-java-server:1.47.0
//DEPS de.bwaldvogel:mongo-java-server-h2-backend:1.47.0
//DEPS com.cronutils:cron-utils:9.2.1
//DEPS me.tongfei:progressbar:0.10.2
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//SOURCES ../../common/src/main/java/relaylab/workbook/*.java
//SOURCES ../../common/src/main/java/relaylab/store/*.java
//SOURCES ../../common/src/main/java/relaylab/schedule/*.java
//SOURCES Schedule.java Gaps.java Restore.java BackupCommand.java BackupMeasure.java

import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.bson.Document;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.resps.StreamEntry;
import relaylab.workbook.Lesson;
import relaylab.workbook.Task;

/**
 * Lesson 12: a cron job (Schedule.java) copies lesson 11's chat stream from Redis to MongoDB: what is new
 * since the checkpoint, in batches, as upserts keyed by message id, the checkpoint moved only after the
 * write, Gaps.java reports what trimming lost. Restore.java puts the history back into an empty Redis.
 */
@Lesson(number = 12, title = "Backup to MongoDB",
        summary = "A cron job that copies the Redis chat to MongoDB exactly once in effect, even when killed mid-run:"
                + " batches after a checkpoint, idempotent upserts, trimming gaps reported, and a restore.")
public class Backup {
    static final int BATCH = 500;
    final JedisCommands redis;
    final String stream;
    /** The backup: one document per message, _id = the stream entry id; the collection is named after the stream. */
    final MongoCollection<Document> messages;
    /** One document per stream: {_id: stream, last: the last id copied, passed: stream entries up to it}. */
    final MongoCollection<Document> checkpoints;

    Backup(JedisCommands redis, String stream, MongoDatabase mongo) {
        this.redis = redis;
        this.stream = stream;
        this.messages = mongo.getCollection(stream);
        this.checkpoints = mongo.getCollection("checkpoints");
    }

    /** Where the backup stands: the last id copied, and how many stream entries came up to it (copied or lost). */
    record Checkpoint(String last, long passed) {
    }

    /** What one run did. */
    record Report(long copied, long alreadyThere, Checkpoint checkpoint) {
    }

    @Task(number = 2, title = "Copy what is new", hint = "XRANGE stream (lastId + COUNT 500, i.e. redis.xrange(stream, \"(\" + lastId,"
            + " \"+\", BATCH): the \"(\" makes the range exclusive, so the last message copied is not read again.")
    List<StreamEntry> readAfter(String lastId) {
        return redis.xrange(stream, "(" + lastId, "+", BATCH);
    }

    @Task(number = 3, title = "Idempotent writes",
            hint = "One new ReplaceOneModel<>(Filters.eq(\"_id\", id), toDocument(entry), new ReplaceOptions().upsert(true)) per entry,"
                    + " then messages.bulkWrite(models, new BulkWriteOptions().ordered(false)): one round trip, and a second copy"
                    + " of the same batch only matches what is there.")
    BulkWriteResult write(List<StreamEntry> batch) {
        List<ReplaceOneModel<Document>> models = new ArrayList<>();
        for (StreamEntry entry : batch) {
            models.add(new ReplaceOneModel<>(Filters.eq("_id", entry.getID().toString()), toDocument(entry),
                    new ReplaceOptions().upsert(true)));
        }
        return messages.bulkWrite(models, new BulkWriteOptions().ordered(false));
    }

    @Task(number = 4, title = "Checkpoint after the write",
            hint = "Start from checkpoint(). Loop: batch = readAfter(last); stop when it is empty; write(batch); only then"
                    + " saveCheckpoint(new Checkpoint(last id of the batch, passed + batch size)) and progress.accept(batch size)."
                    + " Count upserts (getUpserts().size()) as copied and getMatchedCount() as already there.")
    Report runOnce(LongConsumer progress) {
        Checkpoint at = checkpoint();
        long copied = 0;
        long alreadyThere = 0;
        for (List<StreamEntry> batch = readAfter(at.last()); !batch.isEmpty(); batch = readAfter(at.last())) {
            BulkWriteResult written = write(batch);
            at = new Checkpoint(batch.get(batch.size() - 1).getID().toString(), at.passed() + batch.size());
            saveCheckpoint(at);
            copied += written.getUpserts().size();
            alreadyThere += written.getMatchedCount();
            progress.accept(batch.size());
        }
        return new Report(copied, alreadyThere, at);
    }

    Checkpoint checkpoint() {
        Document doc = checkpoints.find(Filters.eq("_id", stream)).first();
        return doc == null ? new Checkpoint("0-0", 0) : new Checkpoint(doc.getString("last"), doc.get("passed", Number.class).longValue());
    }

    void saveCheckpoint(Checkpoint at) {
        checkpoints.replaceOne(Filters.eq("_id", stream), new Document("last", at.last()).append("passed", at.passed()),
                new ReplaceOptions().upsert(true));
    }

    /** A stream entry as a document: _id is the entry id, the other fields as they are (user, text, time). */
    static Document toDocument(StreamEntry entry) {
        Document doc = new Document("_id", entry.getID().toString());
        entry.getFields().forEach(doc::append);
        return doc;
    }

    public static void main(String[] args) {
        System.exit(BackupCommand.run(args));
    }
}
