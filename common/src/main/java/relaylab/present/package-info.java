/**
 * Presenter mode for live coding: {@code ./jbang present NN} shows a lesson's TODOs, then the
 * solution's diff task by task, built from the exercise/solution pairing so that it cannot drift
 * from the files. Entry point: {@link relaylab.present.PresentCommand}.
 */
package relaylab.present;
