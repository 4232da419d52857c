package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

class TransactionScopedTest {

    private final List<String> committed = new ArrayList<>();
    private final AtomicInteger made = new AtomicInteger();
    private final TransactionScoped<List<String>> scoped = TransactionScoped.of(() -> {
        made.incrementAndGet();
        return new ArrayList<>();
    }, committed::addAll);
    private final TransactionTemplate required;
    private final TransactionTemplate requiresNew;

    TransactionScopedTest() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:transaction-scoped;DB_CLOSE_DELAY=-1");
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        required = new TransactionTemplate(transactions);
        requiresNew = new TransactionTemplate(transactions);
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Test
    void keepsOneValuePerTransactionAndHandsItOverJustBeforeCommit() {
        required.executeWithoutResult(status -> {
            assertThat(TransactionScoped.inTransaction()).isTrue();
            assertThat(scoped.current()).isEmpty();
            scoped.currentOrNew().add("a");
            scoped.currentOrNew().add("b");
            assertThat(scoped.current()).hasValue(List.of("a", "b"));
            assertThat(committed).as("not before commit").isEmpty();
        });
        assertThat(made).hasValue(1);
        assertThat(committed).containsExactly("a", "b");

        required.executeWithoutResult(status -> assertThat(scoped.current()).as("the next transaction starts without it").isEmpty());
    }

    @Test
    void aRolledBackTransactionHandsNothingOver() {
        required.executeWithoutResult(status -> {
            scoped.currentOrNew().add("a");
            status.setRollbackOnly();
        });
        assertThat(committed).isEmpty();
        required.executeWithoutResult(status -> assertThat(scoped.current()).isEmpty());
    }

    @Test
    void anInnerNewTransactionHasItsOwnValueAndTheOuterOneGetsItsBack() {
        required.executeWithoutResult(outer -> {
            scoped.currentOrNew().add("outer");
            requiresNew.executeWithoutResult(inner -> {
                assertThat(scoped.current()).as("the suspended transaction's value is out of sight").isEmpty();
                scoped.currentOrNew().add("inner");
            });
            assertThat(committed).as("the inner transaction committed its own").containsExactly("inner");
            assertThat(scoped.current()).hasValue(List.of("outer"));
        });
        assertThat(committed).containsExactly("inner", "outer");
    }

    @Test
    void outsideATransactionThereIsNone() {
        assertThat(TransactionScoped.inTransaction()).isFalse();
        assertThat(scoped.current()).isEmpty();
        assertThatThrownBy(scoped::currentOrNew).isInstanceOf(IllegalStateException.class);
    }
}
