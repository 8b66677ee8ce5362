"""Gap of ``countyhub.routing.solve`` to the best-known costs of CVRPLIB instances.

    python -m bench.cvrp PATH [--seconds 10] [--seed 1]

PATH is one VRPLIB ``.vrp`` file or a folder whose ``.vrp`` files are all solved,
in name order. Each instance is read with the ``vrplib`` package and solved with
rounded Euclidean distances (EUC_2D, CVRPLIB convention), one capacity dimension
and as many vehicles as clients (the X set leaves the fleet free). The best-known
cost (BKS) is the ``cost`` of the ``.sol`` file beside the instance; gap =
(cost - BKS) / BKS. Prints one line per instance and the mean gap.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import vrplib

from bench._gaps import run_instances
from countyhub.routing import Client, Problem, Solution, VehicleType, solve

HEADER = (
    f"{'instance':<14}{'clients':>8}{'cost':>10}{'BKS':>10}"
    f"{'gap %':>8}{'time s':>8}{'routes':>8}  feasible"
)


def read_problem(path: Path) -> Problem:
    """Read a VRPLIB CVRP instance (one depot, EUC_2D) into a routing problem."""
    data = vrplib.read_instance(path)
    if data.get("edge_weight_type") != "EUC_2D" or len(data["depot"]) != 1:
        raise SystemExit(f"{path.name}: only single-depot EUC_2D instances are read")
    depot = int(data["depot"][0])
    coords = np.asarray(data["node_coord"])
    order = [depot, *(i for i in range(len(coords)) if i != depot)]
    clients = [
        Client(
            x=int(coords[i][0]), y=int(coords[i][1]), delivery=(int(data["demand"][i]),)
        )
        for i in order[1:]
    ]
    integral = bool(np.all(coords == np.round(coords)))
    distances = None
    if not integral:  # coordinates stay integers in a Problem: pass the matrix
        diff = coords[order][:, None, :] - coords[order][None, :, :]
        distances = np.rint(np.hypot(diff[..., 0], diff[..., 1])).astype(int).tolist()
    fleet = VehicleType(num_available=len(clients), capacity=(int(data["capacity"]),))
    return Problem(
        clients=clients,
        vehicle_types=[fleet],
        depot=(int(coords[depot][0]), int(coords[depot][1])),
        distances=distances,
    )


def best_known(path: Path) -> float:
    """Return the cost in the ``.sol`` file beside the instance."""
    return float(vrplib.read_solution(path.with_suffix(".sol"))["cost"])


def run(path: Path, seconds: float, seed: int) -> float:
    """Solve one instance, print its line and return its gap in percent."""
    problem = read_problem(path)
    solution: Solution = solve(problem, seconds=seconds, seed=seed)
    bks = best_known(path)
    gap = 100 * (solution.cost - bks) / bks
    print(
        f"{path.stem:<14}{len(problem.clients):>8}{solution.cost:>10}{bks:>10.0f}"
        f"{gap:>8.2f}{solution.runtime:>8.1f}{len(solution.routes):>8}"
        f"  {'yes' if solution.feasible else 'NO'}",
        flush=True,
    )
    return gap


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, solve every instance and print the mean gap."""
    run_instances("python -m bench.cvrp", __doc__, "*.vrp", HEADER, 10.0, run, argv)


if __name__ == "__main__":
    main()
