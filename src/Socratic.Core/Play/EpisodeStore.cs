// Idempotent writes for self-play. Every write is keyed by a natural identity — episode (RunId, Ordinal),
// turn (EpisodeId, Index), score (EpisodeId, Role, Scorer) — and uses ON CONFLICT, so a job that re-runs after
// a crash finds what the last attempt stored instead of adding to it. An episode turns Completed only in the
// transaction that stores its scores: a killed worker never leaves an episode counted complete that is not.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.Play;
using Socratic.Core.Policies;
using Socratic.Core.Tasks;

namespace Socratic.Core.Play;

public sealed class EpisodeRow
{
    public long Id { get; set; }

    public string Status { get; set; } = "";

    public int Attempts { get; set; }
}

public sealed class EpisodeStore(IDbContextFactory<SocraticDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Creates episode (run, ordinal) or, when an earlier attempt created it, counts another attempt.</summary>
    public async Task<EpisodeRow> BeginAsync(
        long runId, int ordinal, long gameVersionId, GameTask task, ulong seed, IReadOnlyDictionary<string, long> rolePolicies, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var taskJson = JsonSerializer.Serialize(task);
        var now = time.GetUtcNow();
        var signedSeed = unchecked((long)seed);
        var rows = await db.Database.SqlQuery<EpisodeRow>($"""
            INSERT INTO "Episodes" ("RunId","Ordinal","GameVersionId","TaskId","Task","Seed","Status","Attempts","StartedAt","PromptTokens","CompletionTokens","DurationMs")
            VALUES ({runId},{ordinal},{gameVersionId},{task.Id},{taskJson}::jsonb,{signedSeed},'Running',1,{now},0,0,0)
            ON CONFLICT ("RunId","Ordinal") DO UPDATE SET
                "Attempts" = "Episodes"."Attempts" + 1,
                "Status" = CASE WHEN "Episodes"."Status" = 'Completed' THEN 'Completed' ELSE 'Running' END,
                "Error" = CASE WHEN "Episodes"."Status" = 'Completed' THEN "Episodes"."Error" ELSE NULL END
            RETURNING "Id", "Status", "Attempts"
            """).ToListAsync(cancellationToken);
        var row = rows[0];
        foreach (var (role, policyId) in rolePolicies)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "EpisodeRoles" ("EpisodeId","Role","PolicyId") VALUES ({row.Id},{role},{policyId})
                ON CONFLICT DO NOTHING
                """, cancellationToken);
        }

        return row;
    }

    public async Task<IReadOnlyList<TurnRecord>> LoadTurnsAsync(long episodeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var turns = await db.Turns.AsNoTracking().Where(t => t.EpisodeId == episodeId).OrderBy(t => t.Index).ToListAsync(cancellationToken);

        // Only a gap-free prefix is resumable; a hole (impossible with ordered writes, but cheap to guard) ends it.
        var prefix = turns.TakeWhile((t, i) => t.Index == i).ToList();
        return [.. prefix.Select(ToRecord)];
    }

    /// <summary>A stored turn as the engine sees it.</summary>
    public static TurnRecord ToRecord(Turn t) => new(
        t.Index, t.Role, t.Text, t.PromptTokens, t.CompletionTokens, t.StartedAt,
        TimeSpan.FromMilliseconds(t.DurationMs), TimeSpan.FromMilliseconds(t.TimeToFirstTokenMs),
        Enum.TryParse<FinishReason>(t.FinishReason, out var r) ? r : FinishReason.Stop);

    public async Task SaveTurnAsync(long episodeId, TurnRecord turn, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var durationMs = (int)turn.Duration.TotalMilliseconds;
        var ttftMs = (int)turn.TimeToFirstToken.TotalMilliseconds;
        var finish = turn.FinishReason.ToString();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Turns" ("EpisodeId","Index","Role","Text","PromptTokens","CompletionTokens","StartedAt","DurationMs","TimeToFirstTokenMs","FinishReason")
            VALUES ({episodeId},{turn.Index},{turn.Role},{turn.Text},{turn.PromptTokens},{turn.CompletionTokens},{turn.StartedAt},{durationMs},{ttftMs},{finish})
            ON CONFLICT ("EpisodeId","Index") DO NOTHING
            """, cancellationToken);
    }

    /// <summary>Stores the scores and marks the episode Completed, atomically.</summary>
    public async Task CompleteAsync(long episodeId, EpisodeResult result, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var s in result.Scores)
            {
                var details = s.Details.ToJsonString();
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Scores" ("EpisodeId","Role","Scorer","Kind","Value","Grounded","Details")
                    VALUES ({episodeId},{s.Role},{s.Scorer},{s.Kind},{s.Value},{s.Grounded},{details}::jsonb)
                    ON CONFLICT ("EpisodeId","Role","Scorer") DO NOTHING
                    """, cancellationToken);
            }

            var now = time.GetUtcNow();
            var durationMs = (long)elapsed.TotalMilliseconds;
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "Episodes" SET "Status" = 'Completed', "CompletedAt" = {now},
                    "PromptTokens" = {result.PromptTokens}, "CompletionTokens" = {result.CompletionTokens},
                    "DurationMs" = {durationMs}, "EndReason" = {result.EndReason}, "Error" = NULL
                WHERE "Id" = {episodeId} AND "Status" <> 'Completed'
                """, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        });
    }

    public async Task MarkAsync(long episodeId, EpisodeStatus status, string? error, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var statusText = status.ToString();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE "Episodes" SET "Status" = {statusText}, "Error" = {error}
            WHERE "Id" = {episodeId} AND "Status" <> 'Completed'
            """, cancellationToken);
    }
}
