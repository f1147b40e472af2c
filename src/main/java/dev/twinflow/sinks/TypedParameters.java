package dev.twinflow.sinks;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;

/**
 * The {@code sql:} endpoint's binding for statements whose SQL has only {@code ?} placeholders and whose
 * parameters come as one list ({@code CamelSqlParameters}), as {@link MysqlRows} writes them: each value
 * bound with its typed setter. camel-sql's default took every one of a 35,000-parameter statement through
 * Spring's generic setter (a logger check, then the driver searching its codecs for the value's type) and
 * scanned the statement's text for named parameters twice: 20x the time of running the statement.
 * Used with {@code parametersCount} set, so the count is not asked of the driver either; the list is
 * bound whole.
 */
@Component("typedParameters")
public class TypedParameters implements SqlPrepareStatementStrategy {

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) {
        return query;
    }

    @Override
    public Iterator<?> createPopulateIterator(
            String query, String preparedQuery, int expectedParams, Exchange exchange, Object value)
            throws SQLException {
        if (value instanceof List<?> list) {
            return list.iterator();
        }
        throw new SQLException("expected the statement's parameters as one list, got "
                + (value == null ? "none" : value.getClass().getName()));
    }

    @Override
    public void populateStatement(PreparedStatement ps, Iterator<?> iterator, int expectedParams) throws SQLException {
        int index = 1;
        while (iterator.hasNext()) {
            bind(ps, index++, iterator.next());
        }
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof Double d) {
            ps.setDouble(index, d);
        } else if (value instanceof Long l) {
            ps.setLong(index, l);
        } else if (value instanceof Integer i) {
            ps.setInt(index, i);
        } else if (value instanceof SqlParameterValue typed && typed.getValue() == null) {
            ps.setNull(index, typed.getSqlType());
        } else if (value instanceof SqlParameterValue typed) {
            ps.setObject(index, typed.getValue(), typed.getSqlType());
        } else {
            ps.setObject(index, value);
        }
    }
}
