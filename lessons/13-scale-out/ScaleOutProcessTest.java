import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import relaylab.store.testing.TestRedis;

/**
 * The nodes as real processes (this lesson's main with {@code --node}, in child JVMs) behind the sticky balancer,
 * the clients in this JVM: what {@code ./jbang solution13 --prove} runs at full size (3 nodes x 50 clients, 1,000
 * broadcasts), here smaller so that it stays within the grader's 30 s per test on a busy machine.
 */
class ScaleOutProcessTest {
    @RegisterExtension
    static final TestRedis redis = new TestRedis();

    @Test
    @Tag("task:5") // through the sticky balancer: needs every task
    @DisplayName("3 node processes x 5 clients: 100 room messages each arrive once where meant; then one node killed with"
            + " SIGKILL mid-run: no loss for the other nodes' clients, which keep their connection; its clients move to live"
            + " nodes and catch up on what they missed")
    void everyMessageOnceAndKillOneNode() throws Exception {
        ScaleOutProof.Report report = ScaleOutProof.prove(redis.redis(),
                new ScaleOutProof.Size(3, 5, 4, 100, 200, true, 11), line -> { });
        assertThat(report.problems()).as("what the proof found wrong; its report:\n" + String.join("\n", report.lines())).isEmpty();
        assertThat(report.lines()).as("the report")
                .anySatisfy(line -> assertThat(line).startsWith("run 1: ").contains("missing 0; duplicates 0"))
                .anySatisfy(line -> assertThat(line).contains("killed with SIGKILL"))
                .anySatisfy(line -> assertThat(line).contains("reconnected through the balancer"))
                .anySatisfy(line -> assertThat(line).startsWith("run 2: ").contains("missing 0; duplicates 0"))
                .anySatisfy(line -> assertThat(line).contains("caught them up").endsWith("still missing: 0"))
                .anySatisfy(line -> assertThat(line).contains("never lost their connection"));
    }
}
