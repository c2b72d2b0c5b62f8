// Options bound from configuration section "Socratic" (env: Socratic__Section__Key). Every knob is listed
// with its default in .env.example.
namespace Socratic.Web.Hosting;

public enum HostMode
{
    /// <summary>UI, API, hub and a Hangfire server in one process.</summary>
    All,

    /// <summary>UI, API and hub only; jobs are picked up by worker processes.</summary>
    Web,

    /// <summary>Only a Hangfire server (plus /health): add machines by starting more of these on one database.</summary>
    Worker,
}

public sealed class HostOptions
{
    public HostMode Mode { get; set; } = HostMode.All;

    /// <summary>Apply pending EF Core migrations at start (serialized across processes by an advisory lock).</summary>
    public bool MigrateOnStart { get; set; } = true;

    public bool RunsWeb => Mode is HostMode.All or HostMode.Web;

    public bool RunsWorker => Mode is HostMode.All or HostMode.Worker;
}

public sealed class WorkerOptions
{
    /// <summary>Hangfire queues this worker serves, in priority order.</summary>
    public string Queues { get; set; } = "selfplay,training,default";

    /// <summary>Concurrent Hangfire jobs per worker process. Each self-play job already batches many episodes.</summary>
    public int Count { get; set; } = 2;
}

public sealed class HangfireOptions
{
    /// <summary>How long a fetched job stays invisible to other workers without a heartbeat. With the sliding timeout a
    /// live job keeps extending it, so this only bounds how soon a killed worker's job is run again.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Database schema of Hangfire's tables.</summary>
    public string Schema { get; set; } = "hangfire";
}

public sealed class ModelsOptions
{
    /// <summary>Folder searched for the default model when SOCRATIC_MODEL and Default are unset.</summary>
    public string Directory { get; set; } = "models";

    /// <summary>Path of the default GGUF (SOCRATIC_MODEL overrides).</summary>
    public string? Default { get; set; }

    /// <summary>Chat template used for models that carry none (a llama.cpp template name or Jinja text).</summary>
    public string ChatTemplate { get; set; } = "chatml";
}

/// <summary>The judge model for scorers with "policy": "judge" (games may instead judge with the run's own policy).</summary>
public sealed class JudgeModelOptions
{
    /// <summary>Path of the judge's GGUF; empty = no judge model (such scorers then fail the episode, naming this key).</summary>
    public string? Model { get; set; }

    /// <summary>Chat template for a judge model without its own.</summary>
    public string? ChatTemplate { get; set; } = "chatml";
}

public sealed class AdminOptions
{
    public string Email { get; set; } = "admin@socratic.local";

    /// <summary>Empty: the first start generates a password and logs it once.</summary>
    public string? Password { get; set; }
}

public sealed class DemoOptions
{
    /// <summary>On start, import the demo game and, when the database has no runs yet, play a demo run.</summary>
    public bool Enabled { get; set; } = true;

    public string Game { get; set; } = "games/explorer-critic-arithmetic.json";

    /// <summary>Enough episodes, played a few at a time, that there is still something to watch when the browser opens.</summary>
    public int Episodes { get; set; } = 200;

    public int Concurrency { get; set; } = 4;
}

public sealed class LiveOptions
{
    /// <summary>Token pieces of one turn are sent together at most this often (fewer NOTIFYs, same text).</summary>
    public int CoalesceMilliseconds { get; set; } = 50;
}

public sealed class TrainingOptions
{
    /// <summary>Folder for adapters and checkpoints of training runs; stored on rows as an absolute path.</summary>
    public string OutputDirectory { get; set; } = "data/adapters";

    /// <summary>Optimizer steps between checkpoints (a re-delivered job resumes from the last one).</summary>
    public int CheckpointEvery { get; set; } = 10;
}

public sealed class PlayOptions
{
    /// <summary>Episodes a run plays at once when the request does not say.</summary>
    public int DefaultConcurrency { get; set; } = 8;

    public int MaxEpisodesPerRun { get; set; } = 10_000;

    public int MaxConcurrency { get; set; } = 64;
}

/// <summary>The OpenAI-compatible endpoint (/v1/chat/completions) that serves any policy to other tools.</summary>
public sealed class ServingOptions
{
    /// <summary>Completion tokens when a request names none.</summary>
    public int DefaultMaxTokens { get; set; } = 256;

    /// <summary>Largest completion a request may ask for; more is refused with a 400 naming max_tokens.</summary>
    public int MaxTokensLimit { get; set; } = 2048;
}
