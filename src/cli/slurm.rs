//! `rappel slurm`: writes the Slurm job scripts that run a `run`, `compare` or `sweep` as a
//! job array of shards (`--shard-from slurm`) and a job that merges them once every shard
//! has succeeded (`--dependency=afterok`), and submits them on request. Slurm schedules;
//! rappel only writes what its users would write by hand.

use super::Failure;
use clap::Parser;
use std::path::{Path, PathBuf};

/// Arguments of `rappel slurm`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many shards: the tasks of the job array.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    shards: u64,
    /// Folder for the merged files: those the command writes on one machine.
    #[arg(long, short = 'o')]
    out: PathBuf,
    /// Folder for the job scripts, the tasks' logs and the shards' folders [default: the
    /// --out folder's name with .slurm]
    #[arg(long, value_name = "DIR")]
    jobs: Option<PathBuf>,
    /// CPUs of each shard (sbatch --cpus-per-task), its worker threads.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1024))]
    cpus_per_task: u32,
    /// At most this many shards at once (the array's %M).
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(1..))]
    max_parallel: Option<u32>,
    /// An sbatch option for both jobs, e.g. --sbatch=--partition=short or
    /// --sbatch=--time=02:00:00; repeat for more.
    #[arg(long = "sbatch", value_name = "OPTION", allow_hyphen_values = true)]
    sbatch: Vec<String>,
    /// The rappel binary the jobs run, as the compute nodes see it [default: this one].
    #[arg(long, value_name = "PATH")]
    rappel: Option<PathBuf>,
    /// Submit both jobs now with sbatch (submit.sh), and print their job ids.
    #[arg(long)]
    submit: bool,
    /// The command to share out, after `--`: run, compare or sweep with its arguments,
    /// without --out and --shard (the scripts give them).
    #[arg(last = true, required = true, value_name = "COMMAND")]
    command: Vec<String>,
}

/// A word quoted for the shell.
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// An absolute path, refused when an `#SBATCH` line could not hold it.
fn absolute(p: &Path, what: &str) -> Result<PathBuf, Failure> {
    let abs = std::path::absolute(p)
        .map_err(|e| Failure::Input(format!("{what} {}: {e}", p.display())))?;
    if abs.to_string_lossy().chars().any(char::is_whitespace) {
        return Err(Failure::Input(format!(
            "{what} {}: Slurm's #SBATCH lines cannot hold a path with spaces\n  help: name a \
             folder without spaces",
            abs.display()
        )));
    }
    Ok(abs)
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    let command = a.command.first().map(String::as_str).unwrap_or_default();
    if !matches!(command, "run" | "compare" | "sweep") {
        let why = super::shard::unshardable(&["rappel".into(), command.into(), "--shard".into()])
            .unwrap_or_else(|| format!("`{command}` is not a command rappel shards"));
        return Err(Failure::Input(format!(
            "{why}\n  help: rappel slurm --shards N --out DIR -- run|compare|sweep FILE... [OPTIONS]"
        )));
    }
    for w in &a.command {
        let given = ["--out", "-o", "--shard", "--shard-from", "--shards"]
            .iter()
            .find(|f| w == *f || w.starts_with(&format!("{f}=")));
        if let Some(f) = given {
            return Err(Failure::Input(format!(
                "the command after -- gives {f}, which the job scripts set\n  help: drop {f}: \
                 rappel slurm's --out names the merged folder, and each shard's folder is in \
                 the jobs folder"
            )));
        }
    }
    // The command as a shard will run it, checked now rather than on the cluster.
    let check = std::iter::once("rappel".to_string())
        .chain(a.command.iter().cloned())
        .chain(["--shard".into(), format!("0/{}", a.shards)]);
    if let Err(e) = super::Cli::try_parse_from(check) {
        return Err(Failure::Input(format!(
            "the command after -- does not parse: {}",
            e.render()
                .to_string()
                .trim_start_matches("error: ")
                .trim_end()
        )));
    }

    // The scenario files, read and validated here rather than on the cluster.
    let opts = rappel::scenario::Options {
        allow_unstable: a.command.iter().any(|w| w == "--allow-unstable"),
    };
    for w in a.command.iter().skip(1).filter(|w| w.ends_with(".toml")) {
        let text = super::read_text(Path::new(w))?;
        rappel::scenario::Scenario::from_toml_with(&text, w, &opts)?;
    }
    if let Some(o) = a.sbatch.iter().find(|o| o.contains(['\n', '\r'])) {
        return Err(Failure::Input(format!(
            "--sbatch {o:?}: an sbatch option is one line\n  help: give each option in its own --sbatch"
        )));
    }
    let out = absolute(&a.out, "--out")?;
    let jobs = match &a.jobs {
        Some(j) => absolute(j, "--jobs")?,
        None => {
            let mut name = out.file_name().unwrap_or_default().to_os_string();
            name.push(".slurm");
            out.with_file_name(name)
        }
    };
    let cwd = std::env::current_dir()
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot read the current folder: {e}")))?;
    let rappel = match &a.rappel {
        Some(p) => p.clone(),
        None => std::env::current_exe().map_err(|e| {
            Failure::Runtime(anyhow::anyhow!("cannot find this rappel's path: {e}"))
        })?,
    };
    let q = |p: &Path| quote(&p.display().to_string());
    let n = a.shards;
    let extra: String = a.sbatch.iter().map(|o| format!("#SBATCH {o}\n")).collect();
    let shown: Vec<String> = a.command.iter().map(|w| quote(w)).collect();
    let shown = shown.join(" ");
    let limit = a.max_parallel.map(|m| format!("%{m}")).unwrap_or_default();
    let shards_dir = jobs.join("shards");
    let logs = jobs.join("logs");
    let shard_script = format!(
        "#!/bin/bash\n\
         # Written by `rappel slurm`: the {n} shards of `rappel {shown}`, one task of the\n\
         # array each (shard K is the task's index). submit.sh submits it with the merge.\n\
         #SBATCH --job-name=rappel-shards\n\
         #SBATCH --array=0-{last}{limit}\n\
         #SBATCH --cpus-per-task={cpus}\n\
         #SBATCH --output={logs}/shard-%a.log\n\
         {extra}\
         set -euo pipefail\n\
         cd {cwd}\n\
         exec {rappel} {shown} --shard-from slurm --shards {n} --threads {cpus} --quiet \\\n  \
         --out {shards}/\"$SLURM_ARRAY_TASK_ID\"\n",
        last = n - 1,
        cpus = a.cpus_per_task,
        logs = logs.display(),
        cwd = q(&cwd),
        rappel = q(&rappel),
        shards = q(&shards_dir),
    );
    let merge_script = format!(
        "#!/bin/bash\n\
         # Written by `rappel slurm`: merges the {n} shards of `rappel {shown}` into\n\
         # {out_shown}, the files one machine would have written. submit.sh makes it wait\n\
         # for every shard to succeed.\n\
         #SBATCH --job-name=rappel-merge\n\
         #SBATCH --output={logs}/merge.log\n\
         {extra}\
         set -euo pipefail\n\
         cd {cwd}\n\
         exec {rappel} merge {shards}/{{0..{last}}} --out {out}\n",
        last = n - 1,
        out_shown = out.display(),
        logs = logs.display(),
        cwd = q(&cwd),
        rappel = q(&rappel),
        shards = q(&shards_dir),
        out = q(&out),
    );
    let submit_script = format!(
        "#!/bin/bash\n\
         # Written by `rappel slurm`: submits the shards as a job array, then the merge,\n\
         # which Slurm starts once every shard has succeeded.\n\
         set -euo pipefail\n\
         here=$(cd \"$(dirname \"$0\")\" && pwd)\n\
         array=$(sbatch --parsable \"$here/shards.sbatch\")\n\
         array=${{array%%;*}}\n\
         merge=$(sbatch --parsable --dependency=afterok:\"$array\" --kill-on-invalid-dep=yes \"$here/merge.sbatch\")\n\
         merge=${{merge%%;*}}\n\
         echo \"submitted the {n} shards as job $array and the merge as job $merge\"\n\
         echo \"the merged files will be in {out}; logs in $here/logs\"\n",
        out = out.display(),
    );
    for d in [&shards_dir, &logs] {
        std::fs::create_dir_all(d)
            .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot create {}: {e}", d.display())))?;
    }
    let files = vec![
        ("shards.sbatch".to_string(), shard_script.into_bytes()),
        ("merge.sbatch".to_string(), merge_script.into_bytes()),
        ("submit.sh".to_string(), submit_script.into_bytes()),
    ];
    rappel::output::write_in_place(&jobs, &files).map_err(|e| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot write the job scripts in {}: {e}",
            jobs.display()
        ))
    })?;
    let submit = jobs.join("submit.sh");
    if !a.submit {
        super::print_err(&format!(
            "wrote shards.sbatch, merge.sbatch and submit.sh to {}\n  help: submit both jobs \
             with `bash {}` (or add --submit)",
            jobs.display(),
            q(&submit)
        ));
        return Ok(());
    }
    let status = std::process::Command::new("bash")
        .arg(&submit)
        .status()
        .map_err(|e| {
            Failure::Runtime(anyhow::anyhow!("cannot run bash {}: {e}", submit.display()))
        })?;
    if !status.success() {
        return Err(Failure::Runtime(anyhow::anyhow!(
            "sbatch failed ({status}): the jobs were not submitted\n  help: check that Slurm's \
             commands work here (sinfo), then run `bash {}`",
            q(&submit)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn words_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(quote("scenarios/a.toml"), "scenarios/a.toml");
        assert_eq!(
            quote("teams.agents.agents=90..100:5"),
            "teams.agents.agents=90..100:5"
        );
        assert_eq!(quote("my file.toml"), "'my file.toml'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
    }
}
