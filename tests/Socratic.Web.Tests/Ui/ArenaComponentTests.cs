// The live arena page (bunit, real host services and PostgreSQL): it opens on the stored transcript, then applies
// live events from LiveState — token deltas append in order to the open turn, a duplicate or older delta changes
// nothing, the completed turn's text wins, and scores appear only when the episode is scored.
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Core.Play;
using ArenaPage = Socratic.Web.Components.Pages.Arena;
using Socratic.Web.Live;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Ui;

[Collection(PostgresCollection.Name)]
public sealed class ArenaComponentTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Token_deltas_arrive_in_order_stale_ones_are_ignored_and_scores_wait_for_the_end()
    {
        await using var host = await BunitHost.StartAsync(postgres, "ui_arena_component", Roles.Observer);
        long runId, episodeId;
        await using (var db = host.App.Db())
        {
            var episode = await TestData.EpisodeAsync(db, await TestData.GameAsync(db, "Arena game"), await TestData.PolicyAsync(db, "arena-policy"), ["stored opening"]);
            episode.Status = EpisodeStatus.Running;
            await db.SaveChangesAsync();
            (runId, episodeId) = (episode.RunId, episode.Id);
        }

        var cut = host.Context.Render<ArenaPage>();
        cut.WaitForAssertion(() => Assert.Equal("stored opening", Texts(cut).Single()));
        var live = host.App.Services.GetRequiredService<LiveState>();

        live.Apply(new TurnStarted(runId, episodeId, 10, 1, "critic"));
        live.Apply(new TokenDelta(runId, episodeId, 11, 1, "The answer"));
        live.Apply(new TokenDelta(runId, episodeId, 12, 1, " is 7"));
        live.Apply(new TokenDelta(runId, episodeId, 11, 1, "The answer")); // redelivered: already applied
        live.Apply(new TokenDelta(runId + 1, episodeId, 13, 1, "other run")); // not this page's run

        cut.WaitForAssertion(() => Assert.Equal(["stored opening", "The answer is 7"], Texts(cut)));
        Assert.DoesNotContain("exact =", cut.Markup, StringComparison.Ordinal);

        live.Apply(new TurnCompleted(runId, episodeId, 14, 1, "critic", "The answer is 7.", 6, 40));
        live.Apply(new EpisodeScored(runId, episodeId, 15, [new ScoreView("critic", "exact", "exact", 1, Grounded: true)]));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["stored opening", "The answer is 7."], Texts(cut));
            Assert.Contains("critic · exact = 1", cut.Markup, StringComparison.Ordinal);
        });
    }

    private static List<string> Texts(IRenderedComponent<ArenaPage> cut) => [.. cut.FindAll(".turn-text").Select(e => e.TextContent)];
}
