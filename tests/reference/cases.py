"""The configurations compared with torch.optim: (case id, our optimizer, our run kwargs,
torch class name, torch kwargs, torch scheduler recipe)."""

CASES = [
    ("sgd", "sgd", {"lr": 0.05}, {}, "SGD", {"lr": 0.05}, None),
    ("sgd_momentum", "sgd", {"lr": 0.02, "momentum": 0.9}, {}, "SGD", {"lr": 0.02, "momentum": 0.9}, None),
    ("sgd_dampening_wd", "sgd", {"lr": 0.02, "momentum": 0.8, "dampening": 0.5, "weight_decay": 0.1}, {}, "SGD", {"lr": 0.02, "momentum": 0.8, "dampening": 0.5, "weight_decay": 0.1}, None),
    ("sgd_nesterov", "sgd", {"lr": 0.02, "momentum": 0.9, "nesterov": True}, {}, "SGD", {"lr": 0.02, "momentum": 0.9, "nesterov": True}, None),
    ("momentum", "momentum", {"lr": 0.02}, {}, "SGD", {"lr": 0.02, "momentum": 0.9}, None),
    ("nesterov", "nesterov", {"lr": 0.02, "momentum": 0.85}, {}, "SGD", {"lr": 0.02, "momentum": 0.85, "nesterov": True}, None),
    ("adagrad", "adagrad", {"lr": 0.3}, {}, "Adagrad", {"lr": 0.3}, None),
    ("adagrad_options", "adagrad", {"lr": 0.3, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.05, "eps": 1e-6}, {}, "Adagrad", {"lr": 0.3, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.05, "eps": 1e-6}, None),
    ("rmsprop", "rmsprop", {"lr": 0.01}, {}, "RMSprop", {"lr": 0.01}, None),
    ("rmsprop_centered_momentum", "rmsprop", {"lr": 0.005, "alpha": 0.9, "centered": True, "momentum": 0.5, "weight_decay": 0.01}, {}, "RMSprop", {"lr": 0.005, "alpha": 0.9, "centered": True, "momentum": 0.5, "weight_decay": 0.01}, None),
    ("adadelta", "adadelta", {"lr": 1.0}, {}, "Adadelta", {"lr": 1.0}, None),
    ("adadelta_options", "adadelta", {"lr": 2.0, "rho": 0.95, "eps": 1e-4, "weight_decay": 0.01}, {}, "Adadelta", {"lr": 2.0, "rho": 0.95, "eps": 1e-4, "weight_decay": 0.01}, None),
    ("adam", "adam", {"lr": 0.05}, {}, "Adam", {"lr": 0.05}, None),
    ("adam_amsgrad_wd", "adam", {"lr": 0.05, "betas": (0.8, 0.99), "amsgrad": True, "weight_decay": 0.1, "eps": 1e-6}, {}, "Adam", {"lr": 0.05, "betas": (0.8, 0.99), "amsgrad": True, "weight_decay": 0.1, "eps": 1e-6}, None),
    ("adamw", "adamw", {"lr": 0.05, "weight_decay": 0.1}, {}, "AdamW", {"lr": 0.05, "weight_decay": 0.1}, None),
    ("adamw_amsgrad", "adamw", {"lr": 0.05, "amsgrad": True}, {}, "AdamW", {"lr": 0.05, "amsgrad": True}, None),
    ("adamax", "adamax", {"lr": 0.05}, {}, "Adamax", {"lr": 0.05}, None),
    ("adamax_wd", "adamax", {"lr": 0.05, "betas": (0.85, 0.995), "weight_decay": 0.05}, {}, "Adamax", {"lr": 0.05, "betas": (0.85, 0.995), "weight_decay": 0.05}, None),
    ("nadam", "nadam", {"lr": 0.05}, {}, "NAdam", {"lr": 0.05}, None),
    ("nadam_options", "nadam", {"lr": 0.05, "momentum_decay": 0.01, "weight_decay": 0.05, "decoupled_weight_decay": True}, {}, "NAdam", {"lr": 0.05, "momentum_decay": 0.01, "weight_decay": 0.05, "decoupled_weight_decay": True}, None),
    ("nadam_coupled_wd", "nadam", {"lr": 0.05, "weight_decay": 0.05}, {}, "NAdam", {"lr": 0.05, "weight_decay": 0.05}, None),
    # schedules (torch.optim.lr_scheduler) and clipping (torch.nn.utils)
    ("step_lr", "sgd", {"lr": 0.05, "momentum": 0.5}, {"schedule": ("step", {"step_size": 15, "gamma": 0.5})}, "SGD", {"lr": 0.05, "momentum": 0.5}, ("StepLR", {"step_size": 15, "gamma": 0.5})),
    ("multistep_lr", "adam", {"lr": 0.1}, {"schedule": ("multistep", {"milestones": (10, 25, 40), "gamma": 0.3})}, "Adam", {"lr": 0.1}, ("MultiStepLR", {"milestones": [10, 25, 40], "gamma": 0.3})),
    ("exponential_lr", "rmsprop", {"lr": 0.02}, {"schedule": ("exponential", {"gamma": 0.97})}, "RMSprop", {"lr": 0.02}, ("ExponentialLR", {"gamma": 0.97})),
    ("poly_lr", "sgd", {"lr": 0.05}, {"schedule": ("poly", {"total_iters": 40, "power": 2.0})}, "SGD", {"lr": 0.05}, ("PolynomialLR", {"total_iters": 40, "power": 2.0})),
    ("cyclic_lr", "sgd", {"lr": 0.01, "momentum": 0.9}, {"schedule": ("cyclic", {"max_lr": 0.05, "step_size_up": 10})}, "SGD", {"lr": 0.01, "momentum": 0.9}, ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.05, "step_size_up": 10, "cycle_momentum": False})),
    ("cosine_restarts", "adam", {"lr": 0.1}, {"schedule": ("cosine_restarts", {"T_0": 10, "T_mult": 2, "eta_min": 0.001})}, "Adam", {"lr": 0.1}, ("CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 2, "eta_min": 0.001})),
    ("warmup_exponential", "sgd", {"lr": 0.05, "momentum": 0.9}, {"schedule": ("exponential", {"gamma": 0.98}), "warmup": (8, 0.25)}, "SGD", {"lr": 0.05, "momentum": 0.9}, ("Chained", [("LinearLR", {"start_factor": 0.25, "total_iters": 8}), ("ExponentialLR", {"gamma": 0.98})])),
    ("clip_norm", "sgd", {"lr": 0.1, "momentum": 0.9}, {"clip_norm": 0.5}, "SGD", {"lr": 0.1, "momentum": 0.9}, None),
    ("clip_value", "adam", {"lr": 0.1}, {"clip_value": 0.3}, "Adam", {"lr": 0.1}, None),
]

STEPS = 60
