// The Hangfire training job: TrainingRunner does the work; this binds it to the configured folders, LLamaSharp's
// tokenizer and the live feed. Re-delivery (a killed worker) resumes from the run's checkpoint.
using Hangfire;
using Microsoft.Extensions.Options;
using Socratic.Core.Training;
using Socratic.Web.Hosting;
using Socratic.Web.Live;

namespace Socratic.Web.Training;

public sealed class TrainingRunJob(TrainingRunner runner, ILiveFeed live, IOptions<TrainingOptions> options)
{
    public const string Queue = "training";

    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RunAsync(long trainingRunId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        return runner.TrainAsync(
            trainingRunId,
            new TrainingSettings(o.OutputDirectory, o.CheckpointEvery),
            LlamaTrainingTokenizer.Load,
            u => live.Publish(new TrainingProgress(0, u.TrainingRunId, u.Step, u.TotalSteps, u.Loss, u.Status.ToString())),
            cancellationToken);
    }
}
