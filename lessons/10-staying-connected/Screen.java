import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import relaylab.workbook.Task;

/**
 * What a Java tab shows: every chat message once, in the order it arrived, and the last offset seen,
 * which the tab sends when it reconnects. The page does the same in index.html's show(msg).
 */
final class Screen {
    private final List<Message> messages = new ArrayList<>();   // guarded by this
    private final Set<String> shownIds = new HashSet<>();
    private Long lastOffset;
    private int duplicatesFiltered;

    @Task(number = 4, title = "Exactly once on screen",
            hint = "A message can come twice: live and again in a catch-up, or twice when a tab resent it after a drop."
                    + " Here and in the page's show(msg): skip a message whose id was shown already (count it in"
                    + " duplicatesFiltered and return false). In StayingConnected.post, return the kept message when its id"
                    + " is known instead of posting it again.")
    synchronized boolean show(Message message) {
        // TODO 4: skip a message whose id was shown already (count it in duplicatesFiltered, return false); else add it
        // TODO 4: to messages, keep the highest offset in lastOffset and return true (task 4)
        throw new UnsupportedOperationException("TODO 4: show each message once");
    }

    /** The highest offset shown, or null before the first message. */
    synchronized Long lastOffset() {
        return lastOffset;
    }

    /** What is on screen, in order. */
    synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    /** How many messages arrived again and were not shown a second time. */
    synchronized int duplicatesFiltered() {
        return duplicatesFiltered;
    }

    /** received, lost (offsets missing between the first and the last shown) and duplicated (ids shown twice). */
    synchronized String count() {
        long distinctIds = messages.stream().map(Message::id).distinct().count();
        long lost = 0;
        if (!messages.isEmpty()) {
            long max = messages.stream().mapToLong(Message::offset).max().getAsLong();
            long min = messages.stream().mapToLong(Message::offset).min().getAsLong();
            lost = max - min + 1 - messages.stream().mapToLong(Message::offset).distinct().count();
        }
        return "received " + messages.size() + ", lost " + lost + ", duplicated " + (messages.size() - distinctIds);
    }
}
