// Listens on the live channel (LISTEN socratic_live) and forwards each event to the SignalR groups of its
// episode and run, after updating LiveState for late joiners. Sends are awaited one at a time from a single
// loop: watchers drop events whose Seq is not newer than the last they applied, so a reordered send would
// lose text from their view.
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Npgsql;
using Socratic.Web.Hosting;

namespace Socratic.Web.Live;

public sealed class LiveRelay(IConfiguration configuration, LiveState state, IHubContext<PlayHub> hub, ILogger<LiveRelay> logger) : BackgroundService
{
    private readonly Channel<(LiveEvent Event, List<string> Groups)> _outgoing =
        Channel.CreateUnbounded<(LiveEvent, List<string>)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sender = SendLoopAsync(stoppingToken);
        await ListenAsync(stoppingToken);
        _outgoing.Writer.TryComplete();
        await sender;
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (e, groups) in _outgoing.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await hub.Clients.Groups(groups).SendAsync(e.GetType().Name, e, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not send a live event to watchers.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
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
        // Training progress goes to its own group; everything else to its run (and episode, below).
        var groups = new List<string> { e is TrainingProgress training ? PlayHub.TrainingGroup(training.TrainingRunId) : PlayHub.RunGroup(e.RunId) };
        if (e is EpisodeEvent episodeEvent)
        {
            groups.Add(PlayHub.EpisodeGroup(episodeEvent.EpisodeId));
        }

        _outgoing.Writer.TryWrite((e, groups));
    }
}
