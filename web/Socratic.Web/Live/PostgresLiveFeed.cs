// Carries live events from the process that plays an episode to every web process, through PostgreSQL
// NOTIFY on one channel: workers on other machines need no broker beyond the database they already share.
// Token deltas of one turn are coalesced for a few milliseconds (fewer notifications, same text), and
// payloads are split below PostgreSQL's 8000-byte NOTIFY limit. One sender connection keeps events in order.
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Socratic.Web.Hosting;

namespace Socratic.Web.Live;

public sealed class PostgresLiveFeed(IConfiguration configuration, IOptions<LiveOptions> options, ILogger<PostgresLiveFeed> logger)
    : BackgroundService, ILiveFeed
{
    public const string Channel = "socratic_live";
    private const int MaxTextPerDelta = 1500;

    private readonly Channel<LiveEvent> _events = System.Threading.Channels.Channel.CreateUnbounded<LiveEvent>(new UnboundedChannelOptions { SingleReader = true });

    public void Publish(LiveEvent liveEvent) => _events.Writer.TryWrite(liveEvent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var coalesce = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.CoalesceMilliseconds));
        var pending = new List<LiveEvent>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(configuration.GetSocraticConnectionString());
                await connection.OpenAsync(stoppingToken);
                while (await _events.Reader.WaitToReadAsync(stoppingToken))
                {
                    if (coalesce > TimeSpan.Zero)
                    {
                        await Task.Delay(coalesce, stoppingToken);
                    }

                    while (_events.Reader.TryRead(out var e))
                    {
                        pending.Add(e);
                    }

                    await SendAsync(connection, Coalesce(pending), stoppingToken);
                    pending.Clear();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // Live view is best effort: the transcript is in the database either way. Drop and reconnect.
                logger.LogWarning(e, "Live feed lost its database connection; {Count} events dropped.", pending.Count);
                pending.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Merges adjacent token deltas of the same turn, keeping the last Seq.</summary>
    internal static List<LiveEvent> Coalesce(IReadOnlyList<LiveEvent> events)
    {
        var merged = new List<LiveEvent>(events.Count);
        foreach (var e in events)
        {
            if (e is TokenDelta d && merged.Count > 0 && merged[^1] is TokenDelta last
                && last.EpisodeId == d.EpisodeId && last.TurnIndex == d.TurnIndex && last.Text.Length + d.Text.Length <= MaxTextPerDelta)
            {
                merged[^1] = last with { Seq = d.Seq, Text = last.Text + d.Text };
            }
            else
            {
                merged.Add(e);
            }
        }

        return merged;
    }

    private static async Task SendAsync(NpgsqlConnection connection, List<LiveEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var batch = new NpgsqlBatch(connection);
        await using (batch)
        {
            foreach (var e in events)
            {
                var payload = JsonSerializer.Serialize(e, LiveJson.Options);
                if (Encoding.UTF8.GetByteCount(payload) > 7900)
                {
                    // A completed turn can be long: observers get its text from the database instead.
                    payload = JsonSerializer.Serialize(Trim(e), LiveJson.Options);
                }

                var command = new NpgsqlBatchCommand("select pg_notify(@c, @p)");
                command.Parameters.AddWithValue("c", Channel);
                command.Parameters.AddWithValue("p", payload);
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static LiveEvent Trim(LiveEvent e) => e switch
    {
        TurnCompleted t => t with { Text = "" },
        EpisodeStatusChanged s => s with { Error = s.Error?[..Math.Min(s.Error.Length, 2000)] },
        RunProgress r => r with { Error = r.Error?[..Math.Min(r.Error.Length, 2000)] },
        _ => e,
    };
}

public static class LiveJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
