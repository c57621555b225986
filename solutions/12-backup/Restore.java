import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import relaylab.workbook.Task;

/** The disaster drill: Redis lost the chat, MongoDB still has it. ./jbang lesson12 --restore puts it back. */
final class Restore {
    /** A restore puts back the newest this many messages: about what lesson 11 keeps (XADD MAXLEN ~ 1000). */
    static final int KEEP = 1000;

    private Restore() {
    }

    @Task(number = 6, title = "Restore",
            hint = "Refuse a stream that is not empty (redis.xlen). Read every backed-up message, sort by new StreamEntryID(_id)"
                    + " (the _id strings do not sort as text: \"9-0\" > \"10-0\"), keep the newest KEEP, and XADD each with its own"
                    + " id: redis.xadd(stream, XAddParams.xAddParams().id(id), fields(doc)). Return how many you put back.")
    static long restore(Backup backup) {
        long present = backup.redis.xlen(backup.stream);
        if (present > 0) {
            throw new IllegalStateException(backup.stream + " already holds " + present + " messages; a restore rebuilds an"
                    + " empty stream: delete it first (redis-cli DEL " + backup.stream + ")");
        }
        List<Document> all = backup.messages.find().into(new ArrayList<>());
        all.sort(Comparator.comparing(doc -> new StreamEntryID(doc.getString("_id"))));
        List<Document> newest = all.subList(Math.max(0, all.size() - KEEP), all.size());
        for (Document doc : newest) {
            backup.redis.xadd(backup.stream, XAddParams.xAddParams().id(doc.getString("_id")), fields(doc));
        }
        return newest.size();
    }

    /** The fields of a backed-up message without its _id: what XADD puts back (user, text, time). */
    static Map<String, String> fields(Document doc) {
        Map<String, String> fields = new LinkedHashMap<>();
        doc.forEach((name, value) -> {
            if (!name.equals("_id")) {
                fields.put(name, String.valueOf(value));
            }
        });
        return fields;
    }
}
