// Listens on the live channel (LISTEN socratic_live) and forwards each event to the SignalR groups of its
// episode and run, after updating LiveState for late joiners.
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Npgsql;
using Socratic.Web.Hosting;

namespace Socratic.Web.Live;

public sealed class LiveRelay(IConfiguration configuration, LiveState state, IHubContext<PlayHub> hub, ILogger<LiveRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(configuration.GetSocraticConnectionString()) { KeepAlive = 30 };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, n) => Forward(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresLiveFeed.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                logger.LogWarning(e, "Live relay lost its database connection; reconnecting.");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private void Forward(string payload)
    {
        LiveEvent? e;
        try
        {
            e = JsonSerializer.Deserialize<LiveEvent>(payload, LiveJson.Options);
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Ignoring a malformed live event.");
            return;
        }

        if (e is null)
        {
            return;
        }

        state.Apply(e);
        var method = e.GetType().Name;
        var groups = new List<string>();
        if (e is TrainingProgress training)
        {
            groups.Add(PlayHub.TrainingGroup(training.TrainingRunId));
        }
        else
        {
            groups.Add(PlayHub.RunGroup(e.RunId));
        }

        if (e is EpisodeEvent episodeEvent)
        {
            groups.Add(PlayHub.EpisodeGroup(episodeEvent.EpisodeId));
        }

        _ = hub.Clients.Groups(groups).SendAsync(method, e);
    }
}
