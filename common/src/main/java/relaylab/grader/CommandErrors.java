package relaylab.grader;

import picocli.CommandLine.IExecutionExceptionHandler;

/**
 * How the workbook's commands ({@code grade}, {@code present}) report a failure: a {@link GradeException}
 * (bad input: an unknown lesson, a bad option) as one line and status 2; any other error as a fault of the
 * tool itself, one line and status 3, with the stack trace only under {@code -Drelaylab.debug=true}.
 */
public final class CommandErrors {
    private CommandErrors() {
    }

    /**
     * The picocli handler for the command called {@code name} in its messages ("grade: no lesson 99; ..."),
     * {@code tool} naming it in a fault ("the grader").
     */
    public static IExecutionExceptionHandler handler(String name, String tool) {
        return (error, commandLine, parseResult) -> {
            if (error instanceof GradeException) {
                commandLine.getErr().println(name + ": " + error.getMessage());
                return 2;
            }
            // a fault of the tool itself, not of the learner's code: one line, and the trace only on request
            commandLine.getErr().println(name + ": " + tool + " itself failed: " + error);
            if (Boolean.getBoolean("relaylab.debug")) {
                error.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("  (please report it; run with JAVA_TOOL_OPTIONS=-Drelaylab.debug=true for details)");
            }
            return 3;
        };
    }
}
