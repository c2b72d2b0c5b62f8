// Proves the throwaway cluster works end to end: a fresh database can be created, written and read.
// Runs in the "postgres" collection so it shares the one cluster with the other database tests.

using Npgsql;

namespace Socratic.Web.Tests.Infrastructure;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task CreateDatabaseAsync_returns_a_fresh_database_that_can_be_queried()
    {
        var first = await postgres.CreateDatabaseAsync("Smoke Test");
        var second = await postgres.CreateDatabaseAsync("Smoke Test");

        var firstName = new NpgsqlConnectionStringBuilder(first).Database;
        Assert.NotEqual(firstName, new NpgsqlConnectionStringBuilder(second).Database);
        Assert.StartsWith("smoke_test_", firstName, StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE probe (id int PRIMARY KEY, word text NOT NULL); INSERT INTO probe VALUES (1, 'socrates');", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var select = new NpgsqlCommand("SELECT current_database(), (SELECT word FROM probe WHERE id = 1)", connection);
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(firstName, reader.GetString(0));
        Assert.Equal("socrates", reader.GetString(1));
    }
}
