//! `eval --report` renders in a real browser: headless Chromium (Debian `chromium`) loads the page and its
//! inline script counts the charts that were laid out with a size and drawn content.

mod common;
use common::*;
use std::process::Command;

/// The first Chromium-like browser on PATH (or in `PROPSCAN_CHROMIUM`).
fn chromium() -> Option<String> {
    let candidates = std::env::var("PROPSCAN_CHROMIUM")
        .into_iter()
        .chain(["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].iter().map(|s| s.to_string()));
    candidates.into_iter().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn the_html_report_shows_its_charts() {
    let dir = tempdir();
    let report = dir.path().join("report.html");
    let data = write(
        dir.path(),
        "eval.csv",
        "text,label,lang\n\
         \"Make hijrah and join the ranks, brother. Do not wait.\",1,en\n\
         \"Police said the magazine urged readers to \"\"make hijrah\"\".\",0,en\n\
         Вступай в ряды братьев и не жди приказа.,1,ru\n\
         Присоединяйтесь к нашему футбольному клубу!,0,ru\n\
         \"Pledge your bay'ah to the Khalifah today.\",1,en\n\
         Join our team: we are hiring nurses.,0,en\n"
            .as_bytes(),
    );
    let out = propscan(&["eval", "--input", &data, "--by", "lang", "--report", report.to_str().expect("path")]).ok();
    assert!(out.stdout.contains("<- in use"), "threshold table: {}", out.stdout);
    let page = std::fs::read_to_string(&report).expect("report written");
    assert!(page.contains("id='roc'") && page.contains("By lang") && !page.contains("http"));

    let Some(browser) = chromium() else {
        // CI sets PROPSCAN_REQUIRE_BROWSER (and installs Chromium): there a missing browser is a failure.
        assert!(
            std::env::var_os("PROPSCAN_REQUIRE_BROWSER").is_none(),
            "PROPSCAN_REQUIRE_BROWSER is set but no chromium is on PATH (apt-get install chromium)"
        );
        eprintln!("skipped the browser check: no chromium on PATH (apt-get install chromium)");
        return;
    };
    let url = format!("file://{}", report.display());
    let dom = Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom", &url])
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("data-charts-rendered=\"3\""),
        "charts not all rendered; DOM starts: {}",
        &dom[..dom.len().min(400)]
    );
}
