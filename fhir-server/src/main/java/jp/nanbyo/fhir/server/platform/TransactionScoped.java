package jp.nanbyo.fhir.server.platform;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A value that belongs to the current database transaction: made on first use within it, gone when it ends, and out of
 * sight while it is suspended (an inner transaction that requires a new one starts without it). A lookup costs one map
 * read, where looking for a registered synchronization copies and sorts them all (1 % of a designation import's CPU).
 *
 * @param <T> the value's type
 */
public final class TransactionScoped<T> {

    private final Object key = new Object();
    private final Supplier<T> initial;
    private final Consumer<T> beforeCommit;

    private TransactionScoped(Supplier<T> initial, Consumer<T> beforeCommit) {
        this.initial = initial;
        this.beforeCommit = beforeCommit;
    }

    public static <T> TransactionScoped<T> of(Supplier<T> initial) {
        return new TransactionScoped<>(initial, value -> { });
    }

    /** One whose value is handed to {@code beforeCommit} as the transaction's last step before commit (not on rollback). */
    public static <T> TransactionScoped<T> of(Supplier<T> initial, Consumer<T> beforeCommit) {
        return new TransactionScoped<>(initial, beforeCommit);
    }

    /** Whether a transaction with synchronization is active on this thread: outside one, nothing is kept. */
    public static boolean inTransaction() {
        return TransactionSynchronizationManager.isSynchronizationActive();
    }

    /** The current transaction's value, if it has made one. */
    @SuppressWarnings("unchecked")
    public Optional<T> current() {
        return Optional.ofNullable((T) TransactionSynchronizationManager.getResource(key));
    }

    /** The current transaction's value, made now if it has none. Only within a transaction ({@link #inTransaction()}). */
    public T currentOrNew() {
        Optional<T> current = current();
        if (current.isPresent()) {
            return current.get();
        }
        if (!inTransaction()) {
            throw new IllegalStateException("no database transaction with synchronization on this thread");
        }
        T fresh = initial.get();
        TransactionSynchronizationManager.bindResource(key, fresh);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void suspend() {
                TransactionSynchronizationManager.unbindResource(key);
            }

            @Override
            public void resume() {
                TransactionSynchronizationManager.bindResource(key, fresh);
            }

            @Override
            public void beforeCommit(boolean readOnly) {
                beforeCommit.accept(fresh);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(key);
            }
        });
        return fresh;
    }
}
