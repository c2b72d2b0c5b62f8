// One place that knows how Socratic talks to PostgreSQL, shared by the web host, workers, CLI and tests.
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Socratic.Core.Data;

public static class SocraticDb
{
    /// <summary>Default for a local development database (README, .env.example).</summary>
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Database=socratic;Username=postgres";

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql
            .MigrationsAssembly(SocraticDbContext.MigrationsAssembly)
            .EnableRetryOnFailure(3));

    public static DbContextOptions<SocraticDbContext> Options(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<SocraticDbContext>();
        Configure(builder, connectionString);
        return builder.Options;
    }

    /// <summary>Creates the database named in the connection string if it does not exist (migrations need it to).</summary>
    public static async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database ?? "socratic";
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @n", connection);
        exists.Parameters.AddWithValue("n", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another process (a second worker) created it first.
            }
        }
    }

    /// <summary>Creates the database if needed and applies pending migrations. Safe to call from several processes:
    /// a PostgreSQL advisory lock serializes them.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        await EnsureDatabaseExistsAsync(connectionString, cancellationToken);
        await using var db = new SocraticDbContext(Options(connectionString));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var l = new NpgsqlCommand("select pg_advisory_lock(7204311)", connection))
        {
            await l.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var u = new NpgsqlCommand("select pg_advisory_unlock(7204311)", connection);
            await u.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
