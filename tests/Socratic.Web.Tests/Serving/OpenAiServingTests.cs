// The OpenAI-compatible endpoint serves a policy as OpenAI clients expect (plain and streamed), refuses bad
// requests naming the field, and the remote policy backend — Microsoft.Extensions.AI's OpenAI client — plays
// games through it with the same text the in-process runtime produces.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Socratic.Core.Data;
using Socratic.Core.Engine;
using Socratic.Core.Games;
using Socratic.Core.Policies;
using Socratic.Core.Scoring;
using Socratic.Core.Tasks;
using Socratic.Inference.Remote;
using Socratic.Web.Tests.Infrastructure;

namespace Socratic.Web.Tests.Serving;

[Collection(PostgresCollection.Name)]
public sealed class OpenAiServingTests(PostgresFixture postgres) : IAsyncLifetime
{
    private SocraticApp _app = null!;
    private Uri _address = null!;

    private static readonly object[] Messages = [new { role = "system", content = "You tell stories." }, new { role = "user", content = "Once upon a time" }];

    public async Task InitializeAsync() => (_app, _address) = await SocraticApp.StartOnPortAsync(postgres, "serving", new Dictionary<string, string?> { ["Socratic:Host:Mode"] = "Web" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_completion_has_OpenAI_shape_with_usage_within_max_tokens()
    {
        var client = await _app.ClientAsync(Roles.Researcher);

        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "default", messages = Messages, max_tokens = 12, temperature = 0, seed = 3 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("stories260K", root.GetProperty("model").GetString());
        var choice = root.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.False(string.IsNullOrWhiteSpace(choice.GetProperty("message").GetProperty("content").GetString()));
        Assert.Contains(choice.GetProperty("finish_reason").GetString(), new[] { "stop", "length" });
        var usage = root.GetProperty("usage");
        Assert.InRange(usage.GetProperty("completion_tokens").GetInt32(), 1, 12);
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 3);
    }

    [Fact]
    public async Task A_streamed_completion_arrives_as_server_sent_chunks_ending_with_done()
    {
        var client = await _app.ClientAsync(Roles.Researcher);

        var response = await client.PostAsJsonAsync("/v1/chat/completions",
            new { model = "stories260K", messages = Messages, max_tokens = 10, temperature = 0, stream = true, stream_options = new { include_usage = true } });
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        var contentChunks = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0 && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && t.GetString() != "").ToList();
        Assert.True(contentChunks.Count >= 2, $"expected several token chunks, got {contentChunks.Count}");
        Assert.Contains(chunks, c => c.GetProperty("choices").GetArrayLength() > 0 && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
        Assert.Equal(contentChunks.Count, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"messages":[]}""", HttpStatusCode.BadRequest, "messages")]
    [InlineData("""{"messages":[{"role":"tool","content":"x"}]}""", HttpStatusCode.BadRequest, "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":2}""", HttpStatusCode.BadRequest, "n")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"temperature":"hot"}""", HttpStatusCode.BadRequest, "temperature")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_tokens":100000}""", HttpStatusCode.BadRequest, "max_tokens")]
    [InlineData("""{"model":"no-such-policy","messages":[{"role":"user","content":"x"}]}""", HttpStatusCode.NotFound, "model")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}""", HttpStatusCode.BadRequest, "$")]
    public async Task Bad_requests_get_an_OpenAI_error_naming_the_field(string body, HttpStatusCode status, string param)
    {
        var client = await _app.ClientAsync(Roles.Researcher);

        var response = await client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(param, error.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_refused_with_context_length_exceeded()
    {
        var client = await _app.ClientAsync(Roles.Researcher);
        var huge = string.Join(' ', Enumerable.Repeat("once upon a time there was a dog", 400));

        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = huge } }, stream = true });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("context_length_exceeded", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_remote_backend_through_this_endpoint_produces_the_in_process_text_and_plays_a_game()
    {
        Policy policy;
        await using (var db = _app.Db())
        {
            policy = await _app.Services.GetRequiredService<Socratic.Web.Models.ModelCatalog>().EnsureDefaultPolicyAsync(db, CancellationToken.None) ?? throw new InvalidOperationException("no default model");
        }

        using var remote = new RemotePolicyProvider(new RemotePolicyOptions { Endpoint = new Uri(_address, "/v1"), ApiKey = await _app.TokenAsync(Roles.Researcher) });
        var local = _app.Services.GetRequiredService<IPolicyProvider>();
        var messages = new[] { new ChatMessage(ChatRole.User, "Once upon a time, there was a cat") };
        var greedy = new SamplingSettings { Temperature = 0, MaxTokens = 16, Seed = 5 };
        var pieces = new List<string>();

        var viaServer = await (await remote.GetAsync(policy.ToSpec(), default)).GenerateAsync(messages, greedy, pieces.Add, default);
        var inProcess = await (await local.GetAsync(policy.ToSpec(), default)).GenerateAsync(messages, greedy, null, default);

        Assert.Equal(inProcess.Text, viaServer.Text);
        Assert.Equal(viaServer.Text, string.Concat(pieces));
        Assert.Equal(inProcess.CompletionTokens, viaServer.CompletionTokens);

        var game = GameJson.Parse(TestGames.Story());
        var engine = new GameEngine(remote, new ScorerFactory());
        var plan = new EpisodePlan(game, new GameTask("t", "Once upon a time, there was a little girl named Lily.", "Lily"), new Dictionary<string, PolicySpec> { ["teller"] = policy.ToSpec() }, 7);
        var episode = await engine.PlayAsync(plan, null, default);

        Assert.Equal(2, episode.Turns.Count);
        Assert.All(episode.Turns, t => Assert.True(t.CompletionTokens > 0));
        Assert.Single(episode.Scores);
    }
}
