package relaylab.realtime;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import relaylab.realtime.protocol.PacketCodec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@link OnConnect}/{@link OnEvent}/{@link OnDisconnect} methods of a handler object into
 * {@link Bound} invokers. Every parameter gets a precomputed {@link ParamBinder} at registration, by one
 * rule set shared by the three annotations; a call only runs the binders and {@link Method#invoke}.
 */
final class HandlerBinder {
    private static final System.Logger LOG = CoreLog.LOG;

    enum Kind { CONNECT, EVENT, DISCONNECT, SERVER_SIDE_EMIT }

    /** What a call provides to the binders. */
    record Call(RealtimeSocket socket, List<Object> args, Ack ack, String reason, String event) {
    }

    /** Produces the value of one parameter for a call. */
    @FunctionalInterface
    interface ParamBinder {
        Object bind(Call call);
    }

    /** One bound handler method. */
    record Bound(Kind kind, String event, Object target, Method method, ParamBinder[] binders) {
        /** Invokes the method; conversion errors and exceptions thrown by it are logged, never rethrown. */
        void invoke(RealtimeSocket socket, List<Object> args, Ack ack, String reason, String eventName) {
            Call call = new Call(socket, args, ack, reason, eventName);
            Object[] values = new Object[binders.length];
            try {
                for (int i = 0; i < values.length; i++) {
                    values[i] = binders[i].bind(call);
                }
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot call " + describe(method) + " for event '" + eventName
                        + "' of " + (socket == null ? "another server" : "socket " + socket.id()) + ": " + e.getMessage());
                return;
            }
            try {
                method.invoke(target, values);
            } catch (InvocationTargetException e) {
                String what = switch (kind) {
                    case CONNECT -> "connection handler ";
                    case DISCONNECT -> "disconnect handler ";
                    case EVENT, SERVER_SIDE_EMIT -> "handler ";
                } + describe(method) + (kind == Kind.EVENT || kind == Kind.SERVER_SIDE_EMIT ? " for '" + eventName + "'" : "");
                if (socket == null) {
                    // a server-side emit: no socket, so no HandlerErrorListener to tell
                    LOG.log(System.Logger.Level.WARNING, what + " (server-side emit) threw: " + e.getCause(), e.getCause());
                    return;
                }
                socket.namespace().server().handlerFailed(socket, eventName, what, e.getCause(), ack);
            } catch (IllegalAccessException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot call " + describe(method) + ": " + e, e);
            }
        }
    }

    private HandlerBinder() {
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    /** Binds every annotated method of {@code target}; throws IllegalArgumentException for a bad signature. */
    static List<Bound> bind(Object target) {
        if (target == null) {
            throw new IllegalArgumentException("register(null): pass an object with @OnConnect/@OnEvent/@OnDisconnect methods");
        }
        List<Bound> result = new ArrayList<>();
        for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                Kind kind = kindOf(method);
                if (kind != null) {
                    result.add(bindMethod(target, method, kind));
                }
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException(target.getClass().getName()
                    + " has no @OnConnect, @OnEvent, @OnDisconnect or @OnServerSideEmit method; nothing to register");
        }
        return result;
    }

    private static Kind kindOf(Method method) {
        List<Kind> kinds = new ArrayList<>(1);
        if (method.isAnnotationPresent(OnConnect.class)) {
            kinds.add(Kind.CONNECT);
        }
        if (method.isAnnotationPresent(OnEvent.class)) {
            kinds.add(Kind.EVENT);
        }
        if (method.isAnnotationPresent(OnDisconnect.class)) {
            kinds.add(Kind.DISCONNECT);
        }
        if (method.isAnnotationPresent(OnServerSideEmit.class)) {
            kinds.add(Kind.SERVER_SIDE_EMIT);
        }
        if (kinds.size() > 1) {
            throw new IllegalArgumentException(describe(method) + " has several of @OnConnect/@OnEvent/@OnDisconnect/@OnServerSideEmit;"
                    + " use one per method");
        }
        return kinds.isEmpty() ? null : kinds.get(0);
    }

    private static Bound bindMethod(Object target, Method method, Kind kind) {
        String event = null;
        if (kind == Kind.EVENT || kind == Kind.SERVER_SIDE_EMIT) {
            event = kind == Kind.EVENT ? method.getAnnotation(OnEvent.class).value() : method.getAnnotation(OnServerSideEmit.class).value();
            if (event.isBlank() || PacketCodec.reserved(event)) {
                throw new IllegalArgumentException(describe(method) + ": @" + annotationName(kind) + "(\"" + event
                        + "\") needs a non-empty, non-reserved event name");
            }
        }
        if (Modifier.isStatic(method.getModifiers())) {
            target = null;
        }
        try {
            method.setAccessible(true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe(method) + " is not accessible: " + e.getMessage(), e);
        }
        Parameter[] parameters = method.getParameters();
        ParamBinder[] binders = new ParamBinder[parameters.length];
        BindState state = new BindState();
        for (int i = 0; i < parameters.length; i++) {
            binders[i] = binderFor(kind, method, parameters[i], state);
        }
        return new Bound(kind, event, target, method, binders);
    }

    /** Counters shared across the parameters of one method. */
    private static final class BindState {
        int dataIndex;
        boolean ack;
        boolean reason;
    }

    /** The one rule set for all three annotations. */
    private static ParamBinder binderFor(Kind kind, Method method, Parameter parameter, BindState state) {
        Class<?> type = parameter.getType();
        if (kind == Kind.SERVER_SIDE_EMIT) {
            return serverSideBinder(method, parameter, state);
        }
        if (type == RealtimeSocket.class) {
            return Call::socket;
        }
        if (type == Handshake.class) {
            return call -> call.socket().handshake();
        }
        if (type == Ack.class && kind == Kind.EVENT && !state.ack) {
            state.ack = true;
            return Call::ack;
        }
        if (type == String.class && kind == Kind.DISCONNECT && !state.reason) {
            state.reason = true;
            return Call::reason;
        }
        if (kind == Kind.EVENT && isData(type)) {
            return dataBinder(method, parameter, state.dataIndex++);
        }
        throw new IllegalArgumentException(describe(method) + ": parameter '" + parameter.getName() + "' of type "
                + parameter.getParameterizedType().getTypeName() + " cannot be bound for @" + annotationName(kind)
                + "; allowed: " + allowed(kind));
    }

    private static ParamBinder serverSideBinder(Method method, Parameter parameter, BindState state) {
        Class<?> type = parameter.getType();
        if (type == Ack.class && !state.ack) {
            state.ack = true;
            return Call::ack;
        }
        if (isData(type) && type != Handshake.class) {
            return dataBinder(method, parameter, state.dataIndex++);
        }
        throw new IllegalArgumentException(describe(method) + ": parameter '" + parameter.getName() + "' of type "
                + parameter.getParameterizedType().getTypeName() + " cannot be bound for @OnServerSideEmit; allowed: "
                + allowed(Kind.SERVER_SIDE_EMIT));
    }

    private static String annotationName(Kind kind) {
        return switch (kind) {
            case CONNECT -> "OnConnect";
            case EVENT -> "OnEvent";
            case DISCONNECT -> "OnDisconnect";
            case SERVER_SIDE_EMIT -> "OnServerSideEmit";
        };
    }

    private static String allowed(Kind kind) {
        return switch (kind) {
            case CONNECT -> "RealtimeSocket, Handshake";
            case EVENT -> "RealtimeSocket, Handshake, one Ack, and data parameters (String, numbers, boolean, records,"
                    + " beans, Map, List, byte[], JsonNode, Object)";
            case DISCONNECT -> "RealtimeSocket, Handshake, one String (the reason)";
            case SERVER_SIDE_EMIT -> "one Ack and data parameters (String, numbers, boolean, records, beans, Map, List,"
                    + " JsonNode, Object); no socket: the sender is another server";
        };
    }

    private static boolean isData(Class<?> type) {
        if (type == Ack.class || type == RealtimeSocket.class || type == Namespace.class || type == RealtimeServer.class
                || type == void.class || Thread.class.isAssignableFrom(type)) {
            return false;
        }
        if (type.isPrimitive() || type.isArray() || type.isEnum() || type == Object.class) {
            return true;
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return type == Map.class || type == List.class || type == Collection.class || type == Set.class
                    || type == Iterable.class || type == CharSequence.class || type == Number.class
                    || JsonNode.class.isAssignableFrom(type);
        }
        return true;
    }

    private static ParamBinder dataBinder(Method method, Parameter parameter, int index) {
        JavaType javaType = RealtimeJson.MAPPER.getTypeFactory().constructType(parameter.getParameterizedType());
        Class<?> raw = javaType.getRawClass();
        boolean direct = !javaType.isContainerType() && !raw.isPrimitive() && !javaType.hasGenericTypes();
        boolean primitive = raw.isPrimitive();
        String name = parameter.getName();
        return call -> {
            List<Object> args = call.args();
            Object value = index < args.size() ? args.get(index) : null;
            if (value == null) {
                if (primitive) {
                    throw new IllegalArgumentException("event '" + call.event() + "' has no argument " + (index + 1)
                            + " for parameter '" + name + "' (" + raw.getName() + ")");
                }
                return null;
            }
            if (direct && raw.isInstance(value)) {
                return value;
            }
            try {
                return RealtimeJson.MAPPER.convertValue(value, javaType);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("argument " + (index + 1) + " of event '" + call.event()
                        + "' cannot be read as " + javaType.toCanonical() + " (parameter '" + name + "'): "
                        + firstLine(e.getMessage()), e);
            }
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
