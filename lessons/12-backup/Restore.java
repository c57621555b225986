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
        // TODO 6: refuse a stream that is not empty; XADD the newest KEEP backed-up messages with their ids, in id order (task 6)
        throw new UnsupportedOperationException("TODO 6: restore the stream");
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
