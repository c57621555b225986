package relaylab.grader;

/** A problem the grader reports to the learner as one clear sentence, without a stack trace. */
public class GradeException extends RuntimeException {
    /** Creates the exception with the sentence to show. */
    public GradeException(String message) {
        super(message);
    }
}
