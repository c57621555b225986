package relaylab.workbook;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the {@link Task}s declared on a lesson's classes and reads TODO numbers from messages.
 * Used by {@link Exercise} when a demo hits an unfinished TODO, and by the grader.
 */
public final class Tasks {
    private Tasks() {
    }

    /**
     * Returns N when {@code message} starts with "TODO N" (the message of an exercise's
     * {@code UnsupportedOperationException}), otherwise null. Same as {@link Todo#number}.
     */
    public static Integer todoNumber(String message) {
        return Todo.number(message);
    }

    /**
     * Collects every {@link Task} on the given classes, their nested classes and their members,
     * sorted by number.
     *
     * @throws IllegalStateException when two elements declare the same task number
     */
    public static Map<Integer, Task> declaredOn(Collection<Class<?>> classes) {
        Map<Integer, Task> tasks = new TreeMap<>();
        Map<Integer, String> where = new TreeMap<>();
        for (Class<?> type : withNested(classes)) {
            for (AnnotatedElement element : members(type)) {
                Task task = element.getAnnotation(Task.class);
                if (task == null) {
                    continue;
                }
                String here = describe(type, element);
                String before = where.putIfAbsent(task.number(), here);
                if (before != null && !before.equals(here)) {
                    throw new IllegalStateException("task " + task.number() + " is declared twice: on "
                            + before + " and on " + here + "; give each @Task its own number");
                }
                tasks.put(task.number(), task);
            }
        }
        return tasks;
    }

    private static List<Class<?>> withNested(Collection<Class<?>> classes) {
        List<Class<?>> all = new ArrayList<>();
        for (Class<?> type : classes) {
            if (!all.contains(type)) {
                all.add(type);
                all.addAll(withNested(Arrays.asList(type.getDeclaredClasses())));
            }
        }
        return all;
    }

    private static List<AnnotatedElement> members(Class<?> type) {
        List<AnnotatedElement> members = new ArrayList<>();
        members.add(type);
        members.addAll(Arrays.asList(type.getDeclaredMethods()));
        members.addAll(Arrays.asList(type.getDeclaredConstructors()));
        members.addAll(Arrays.asList(type.getDeclaredFields()));
        return members;
    }

    private static String describe(Class<?> type, AnnotatedElement element) {
        if (element instanceof Class<?>) {
            return type.getName();
        }
        return type.getName() + "." + ((java.lang.reflect.Member) element).getName();
    }
}
