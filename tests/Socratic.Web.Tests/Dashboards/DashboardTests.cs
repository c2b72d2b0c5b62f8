// The dashboards' aggregation against real PostgreSQL (means, spread, grounded and judge means, tokens and times
// per generation and game; pooled evaluation with its Wilson interval; coverage from jsonb; every filter) and the
// CSV endpoint: RFC 4180 text, quoting of awkward names, bad input named, and who may read it.
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Core.MetaCritic;
using Socratic.Web.Api;
using Socratic.Web.Dashboards;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Dashboards;

[Collection(PostgresCollection.Name)]
public sealed class DashboardTests(PostgresFixture postgres)
{
    private sealed class Factory(string connectionString) : IDbContextFactory<SocraticDbContext>
    {
        public SocraticDbContext CreateDbContext() => new(SocraticDb.Options(connectionString));
    }

    [Fact]
    public async Task Aggregates_score_spread_tokens_time_evaluation_and_diversity_per_generation_and_game()
    {
        var cs = await TestData.MigratedDatabaseAsync(postgres, "dashboards_query");
        DashboardSeed.Seeded seeded;
        await using (var db = new SocraticDbContext(SocraticDb.Options(cs)))
        {
            seeded = await DashboardSeed.SeedAsync(db);
        }

        var query = new DashboardQuery(new Factory(cs));
        var all = await query.LoadAsync(new DashboardFilter(), default);

        Assert.Equal([(0, "Arithmetic"), (0, "Debate"), (1, "Arithmetic"), (1, "Debate")], all.Games.Select(r => (r.Generation, r.Game)));
        var a0 = all.Games[0];
        Assert.Equal((2, 1, 2), (a0.Episodes, a0.Failed, a0.Scored));
        Assert.Equal(0.4, a0.MeanScore!.Value, 9);
        Assert.Equal(Math.Sqrt(0.08), a0.ScoreSd!.Value, 9);
        Assert.Equal(0.3, a0.GroundedMean!.Value, 9);
        Assert.Equal(0.8, a0.JudgeMean!.Value, 9);
        Assert.Equal(50, a0.TokensPerEpisode!.Value, 9);
        Assert.Equal(2, a0.SecondsPerEpisode!.Value, 9);
        var a1 = all.Games[2];
        Assert.Equal(1.0, a1.MeanScore);
        Assert.Null(a1.ScoreSd); // one episode has no sample spread
        Assert.Null(a1.JudgeMean);
        Assert.Equal(0.0, all.Games[1].MeanScore); // the run outside the campaign

        // Held-out: generation 0 pools 3/10, 5/10 and the other policy's 0/10.
        var e0 = all.Evaluation[0];
        Assert.Equal((0, "arithmetic-heldout", 3, 30, 8), (e0.Generation, e0.Suite, e0.Results, e0.Count, e0.Correct));
        Assert.Equal((Proportions.Wilson(8, 30).Low, Proportions.Wilson(8, 30).High), (e0.CiLow, e0.CiHigh));
        Assert.Equal(0.75, all.Evaluation[1].Accuracy);

        // Coverage read from jsonb: the whole generation first, then its games.
        Assert.Equal([(0, (long?)null, 0.5, 1), (0, seeded.GameA, 0.4, 0), (1, null, 0.3, 0)], all.Diversity.Select(d => (d.Generation, d.GameId, d.Distinct2, d.Alarms)));
        Assert.Equal(DashboardQuery.AllGames, all.Diversity[0].Game);
        Assert.Equal(2.5, all.Diversity[0].CompressionRatio);
        Assert.Equal([0, 1], all.Generations);

        // The campaign leaves the other policy's run and evaluation out.
        var campaign = await query.LoadAsync(new DashboardFilter { CampaignId = seeded.CampaignId }, default);
        Assert.Equal([(0, "Arithmetic"), (1, "Arithmetic"), (1, "Debate")], campaign.Games.Select(r => (r.Generation, r.Game)));
        Assert.Equal([(0, 8, 20), (1, 15, 20)], campaign.Evaluation.Select(r => (r.Generation, r.Correct, r.Count)));
        Assert.Equal(3, campaign.Diversity.Count);

        var gameB = await query.LoadAsync(new DashboardFilter { GameId = seeded.GameB }, default);
        Assert.All(gameB.Games, r => Assert.Equal("Debate", r.Game));
        Assert.Empty(gameB.Diversity); // no per-game coverage of Debate was measured

        var generation1 = await query.LoadAsync(new DashboardFilter { FromGeneration = 1, ToGeneration = 1 }, default);
        Assert.All(generation1.Games, r => Assert.Equal(1, r.Generation));
        Assert.Equal(1, Assert.Single(generation1.Evaluation).Generation);
        Assert.Equal(1, Assert.Single(generation1.Diversity).Generation);

        var nothing = await query.LoadAsync(new DashboardFilter { FromGeneration = 5 }, default);
        Assert.True(nothing.IsEmpty);

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => query.LoadAsync(new DashboardFilter { FromGeneration = 2, ToGeneration = 1 }, default));
        Assert.Equal("from", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public async Task Csv_export_is_rfc4180_with_awkward_names_quoted_and_formulas_defused()
    {
        await using var app = await SocraticApp.StartAsync(postgres, "dashboards_csv", new Dictionary<string, string?> { ["Socratic:Host:Mode"] = "Web" });
        DashboardSeed.Seeded seeded;
        await using (var db = app.Db())
        {
            seeded = await DashboardSeed.SeedAsync(db, gameAName: "=Sum, \"quoted\"\nline");
        }

        var observer = await app.ClientAsync(Roles.Observer);
        var response = await observer.GetAsync($"/api/dashboards/csv?table=games&campaign={seeded.CampaignId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("socratic-games.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var csv = await response.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n");
        Assert.Equal("generation,game_id,game,episodes,failed,scored,mean_score,score_sd,grounded_mean,judge_mean,tokens_per_episode,seconds_per_episode", lines[0]);
        Assert.Equal($"0,{seeded.GameA},\"'=Sum, \"\"quoted\"\"\nline\",2,1,2,0.4,0.282843,0.3,0.8,50,2", lines[1]);
        Assert.Equal($"1,{seeded.GameA},\"'=Sum, \"\"quoted\"\"\nline\",1,0,1,1,,1,,10,0.5", lines[2]);
        Assert.Equal($"1,{seeded.GameB},Debate,1,0,1,0.5,,,0.5,100,2", lines[3]);
        Assert.Equal("", lines[^1]); // every record ends in CRLF
        Assert.Equal(5, lines.Length);

        var evaluation = await observer.GetStringAsync($"/api/dashboards/csv?table=evaluation&campaign={seeded.CampaignId}");
        var (low, high) = Proportions.Wilson(8, 20);
        Assert.StartsWith($"generation,suite,results,count,correct,accuracy,ci_low,ci_high\r\n0,arithmetic-heldout,2,20,8,0.4,{Csv.Field(low)},{Csv.Field(high)}\r\n", evaluation, StringComparison.Ordinal);
        var diversity = await observer.GetStringAsync("/api/dashboards/csv?table=diversity&to=0");
        Assert.Equal(
            $"generation,game_id,game,texts,distinct1,distinct2,self_bleu,compression_ratio,novelty,alarms\r\n0,,(all games),10,0.6,0.5,0.2,2.5,1,1\r\n0,{seeded.GameA},\"'=Sum, \"\"quoted\"\"\nline\",10,0.6,0.4,0.2,2.5,1,0\r\n",
            diversity);

        var badTable = await observer.GetAsync("/api/dashboards/csv?table=secrets");
        var badRange = await observer.GetAsync("/api/dashboards/csv?from=3&to=1");
        Assert.Equal(HttpStatusCode.BadRequest, badTable.StatusCode);
        Assert.Contains("\"table\"", await badTable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Contains("\"from\"", await badRange.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var anonymous = await app.ClientAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/dashboards/csv")).StatusCode);
    }
}
