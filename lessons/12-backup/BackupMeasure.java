import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bson.Document;

/**
 * {@code ./jbang lesson12 --measure 1000000}: backs up N chat messages into an empty collection three
 * ways, each run several times: one insertOne per message (a round trip each), and bulkWrite batches of
 * 500 and 1,000 upserts (what the lesson does). Prints messages/s per run, the medians, and the ratio.
 */
final class BackupMeasure {
    private static final int[] BATCHES = {500, 1000};

    private BackupMeasure() {
    }

    static void run(MongoDatabase db, int count, int runs, PrintStream out) {
        List<Document> messages = messages(count);
        out.printf(Locale.ROOT, "Backing up %,d messages, %d runs per way (each into an empty collection).%n", count, runs);
        double oneByOne = median(db, runs, out, "insertOne per message", c -> {
            for (Document message : messages) {
                c.insertOne(message);
            }
        }, count);
        double best = 0;
        for (int batch : BATCHES) {
            double rate = median(db, runs, out, "bulkWrite, batches of " + batch, c -> {
                for (int from = 0; from < count; from += batch) {
                    List<ReplaceOneModel<Document>> models = new ArrayList<>(batch);
                    for (Document message : messages.subList(from, Math.min(count, from + batch))) {
                        models.add(new ReplaceOneModel<>(Filters.eq("_id", message.get("_id")), message, new ReplaceOptions().upsert(true)));
                    }
                    c.bulkWrite(models, new BulkWriteOptions().ordered(false));
                }
            }, count);
            best = Math.max(best, rate);
        }
        out.printf(Locale.ROOT, "bulkWrite backs up %.1f times as many messages per second as insertOne per message.%n", best / oneByOne);
    }

    interface Way {
        void write(MongoCollection<Document> collection);
    }

    private static double median(MongoDatabase db, int runs, PrintStream out, String name, Way way, int count) {
        double[] rates = new double[runs];
        for (int run = 0; run < runs; run++) {
            MongoCollection<Document> collection = db.getCollection("measure");
            collection.drop();
            long started = System.nanoTime();
            way.write(collection);
            double seconds = (System.nanoTime() - started) / 1e9;
            long stored = collection.countDocuments();
            if (stored != count) {
                throw new IllegalStateException(name + " stored " + stored + " messages instead of " + count);
            }
            rates[run] = count / seconds;
            out.printf(Locale.ROOT, "  %-26s run %d: %,10.0f messages/s (%.1f s)%n", name, run + 1, rates[run], seconds);
        }
        db.getCollection("measure").drop();
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        out.printf(Locale.ROOT, "%-28s median: %,10.0f messages/s%n", name, median);
        return median;
    }

    /** Chat messages as lesson 11 stores them: _id = a stream entry id, user, text, time, mark. */
    private static List<Document> messages(int count) {
        List<Document> messages = new ArrayList<>(count);
        long start = 1_764_547_200_000L;
        String[] users = {"ada", "linus", "grace"};
        for (int i = 0; i < count; i++) {
            long ms = start + i / 4;
            messages.add(new Document("_id", ms + "-" + i % 4).append("user", users[i % 3])
                    .append("text", "message number " + i + " of the measurement").append("time", Instant.ofEpochMilli(ms).toString())
                    .append("mark", "m" + i));
        }
        return messages;
    }
}
